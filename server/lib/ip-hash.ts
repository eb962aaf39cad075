import { sign } from './signing.js';

/** Keyed hash of an IP address: stable for blocking, useless if the database leaks without the secret. */
export function hashIp(ip: string, secret: string): string {
  return sign(secret, `ip:${ip}`, 'hex').slice(0, 32);
}
