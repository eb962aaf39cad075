import { sign } from './signing.js';

/** Keyed hash of an IP address: stable for blocking, useless if the database leaks without the secret. */
export function hashIp(ip: string, secret: string): string {
  return sign(secret, `ip:${ip}`, 'hex').slice(0, 32);
}

/**
 * The address a report or a limit counts under: an IPv4 address, or an IPv6 address's /64 (one household or
 * one server's block, which hands its user as many addresses as they like).
 */
export function addressBlock(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
