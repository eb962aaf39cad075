import { sign } from './signing.js';

/**
 * The signed token of a "never mail this address" link (`/unsubscribe/TOKEN`): the address and the
 * list it stops, `address`, signed with the site's secret. Every mail to an address that its owner
 * may not have asked for (confirmations included) carries one.
 */
export function addressStopToken(secret: string, address: string): string {
  const id = Buffer.from(address).toString('base64url');
  return `${id}.address.${sign(secret, `unsubscribe:${id}:address`)}`;
}
