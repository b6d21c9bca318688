import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { formatEmail } from '../alerting/emailMessage.js';
import { formatTeamsMessage } from '../alerting/teamsMessage.js';
import { DELIVERY_ID_HEADER, EVENT_HEADER, SIGNATURE_HEADER, webhookSignature } from '../alerting/webhookSignature.js';
import type { Clock } from '../ports/clock.js';
import { type AlertChannel, type Delivery, DeliveryError } from '../ports/alertChannel.js';
import { type Directory, DirectoryError } from '../ports/directory.js';
import { isRetryableStatus, retryAfterOf } from './retries.js';

/**
 * Teams through a Power Automate Workflows URL. The flow answers 202 once triggered, before it posts:
 * that is reported as `accepted`. Old connector endpoints answered throttling with 200 and an error text;
 * that is retried like a 429.
 */
export class TeamsChannel implements AlertChannel {
  readonly name = 'teams' as const;

  constructor(private readonly options: { readonly url: string; readonly timeoutInMs: number; readonly refusePrivateAddresses: boolean }) {}

  async send(delivery: Delivery): Promise<'delivered' | 'accepted'> {
    if (this.options.refusePrivateAddresses) await assertPublic(new URL(this.options.url).hostname, 'the Teams');
    const response = await post(
      this.options.url,
      JSON.stringify(formatTeamsMessage(delivery.content)),
      { 'content-type': 'application/json' },
      this.options.timeoutInMs,
    );
    const body = await response.text().catch(() => '');
    if (response.ok && /HTTP error 429/.test(body)) throw new DeliveryError('Teams throttled (HTTP 200 with a 429 error text)', true);
    return outcomeOf(response);
  }
}

/** Graph `sendMail` from the sender mailbox, HTML and text. */
export class EmailChannel implements AlertChannel {
  readonly name = 'email' as const;

  constructor(private readonly options: { readonly directory: Directory; readonly sender: string; readonly recipients: readonly string[] }) {}

  async send(delivery: Delivery): Promise<'delivered'> {
    const message = formatEmail(delivery.content);
    try {
      await this.options.directory.sendMail(this.options.sender, { to: this.options.recipients, ...message });
      return 'delivered';
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      throw new DeliveryError(error.message, error.status === undefined || isRetryableStatus(error.status));
    }
  }
}

/**
 * Every alert, as DESIGN's alert JSON, signed (`Lure-Signature`) and carrying its delivery id, so a receiver
 * can verify it and drop replays and repeats. In Azure the URL may not lead to a private or loopback address:
 * the webhook is an administrator's setting, not a way into the network Lure runs in.
 */
export class WebhookChannel implements AlertChannel {
  readonly name = 'webhook' as const;

  constructor(
    private readonly options: {
      readonly url: string;
      readonly secret: string;
      readonly timeoutInMs: number;
      readonly refusePrivateAddresses: boolean;
      readonly clock: Clock;
    },
  ) {}

  async send(delivery: Delivery): Promise<'delivered' | 'accepted'> {
    if (this.options.refusePrivateAddresses) await assertPublic(new URL(this.options.url).hostname, 'the webhook');
    const body = JSON.stringify(delivery.alert ?? { test: true, title: delivery.content.heading, detail: delivery.content.subheading });
    const signature = webhookSignature(body, this.options.secret, Math.floor(this.options.clock.now().getTime() / 1000));
    const response = await post(
      this.options.url,
      body,
      {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signature,
        [DELIVERY_ID_HEADER]: delivery.id,
        [EVENT_HEADER]: delivery.alert === undefined ? 'test' : 'alert',
      },
      this.options.timeoutInMs,
    );
    await response.body?.cancel();
    return outcomeOf(response);
  }
}

/** One POST; network failures and timeouts are retryable. Errors never name the URL (it may carry a key). */
async function post(url: string, body: string, headers: Record<string, string>, timeoutInMs: number): Promise<Response> {
  try {
    return await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutInMs), redirect: 'error' });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutInMs} ms` : 'network error';
    throw new DeliveryError(reason, true);
  }
}

function outcomeOf(response: Response): 'delivered' | 'accepted' {
  if (response.status === 202) return 'accepted';
  if (response.ok) return 'delivered';
  throw new DeliveryError(`HTTP ${response.status}`, isRetryableStatus(response.status), retryAfterOf(response.headers.get('retry-after')));
}

/**
 * Addresses no SIEM or flow on the internet has: loopback, private, link-local (the instance metadata
 * service), carrier-grade NAT, benchmarking, multicast, reserved, Azure's platform address, and the IPv6
 * forms that carry or translate IPv4. (IPv4-mapped IPv6 addresses are matched against the IPv4 rules.)
 */
const PRIVATE_RANGES = (() => {
  const ranges = new BlockList();
  const v4: readonly (readonly [string, number])[] = [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
    ['168.63.129.16', 32],
  ];
  for (const [network, prefix] of v4) ranges.addSubnet(network, prefix, 'ipv4');
  const v6: readonly (readonly [string, number])[] = [
    ['::', 96],
    ['::1', 128],
    ['64:ff9b::', 96],
    ['2002::', 16],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8],
  ];
  for (const [network, prefix] of v6) ranges.addSubnet(network, prefix, 'ipv6');
  return ranges;
})();

/** Refuses a host that is, or resolves to, a private address. (A DNS answer could change before the connection: noted.) */
export async function assertPublic(hostname: string, what = 'the destination'): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true }).catch(() => []);
  if (addresses.length === 0) throw new DeliveryError(`${what} host does not resolve`, true);
  for (const { address, family } of addresses) {
    if (PRIVATE_RANGES.check(address, family === 6 ? 'ipv6' : 'ipv4'))
      throw new DeliveryError(`refused: ${what} URL leads to a private or loopback address`, false);
  }
}
