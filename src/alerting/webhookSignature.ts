import { createHmac } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'Lure-Signature';
/** Header carrying the delivery's id: the same for every retry of one notification, so a receiver can drop repeats. */
export const DELIVERY_ID_HEADER = 'Lure-Delivery-Id';
/** Header saying what the body is: `alert` or `test`. */
export const EVENT_HEADER = 'Lure-Event';

/**
 * The signature a receiver checks: HMAC-SHA256 under the shared secret over the timestamp, a dot and the
 * exact body bytes. A receiver recomputes it, compares in constant time, and rejects a timestamp older
 * than it tolerates (five minutes, say) and a delivery id it has seen: replays fail.
 */
export function webhookSignature(body: string, secret: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
