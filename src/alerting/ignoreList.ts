import { BlockList, isIP } from 'node:net';
import type { Alert } from '../domain/alerts.js';

export interface IgnoreSettings {
  readonly ips: readonly string[];
  readonly userAgents: readonly string[];
  readonly appIds: readonly string[];
}

/**
 * Actors whose alerts are recorded but never notified: a vulnerability scanner you run, a red team's
 * address, a monitoring app. An alert is ignored when its actor's address (or range), whole user agent
 * (case aside) or app matches.
 */
export class IgnoreList {
  private readonly addresses = new BlockList();
  private readonly userAgents: readonly string[];
  private readonly appIds: ReadonlySet<string>;

  constructor(settings: IgnoreSettings) {
    for (const entry of settings.ips) {
      // split gives at least one part, the address, whatever the entry holds.
      const [address, prefix] = entry.split('/') as [string, string?];
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.addresses.addAddress(address, family);
      else this.addresses.addSubnet(address, Number(prefix), family);
    }
    this.userAgents = settings.userAgents.map((agent) => agent.toLowerCase());
    this.appIds = new Set(settings.appIds.map((id) => id.toLowerCase()));
  }

  matches(alert: Alert): boolean {
    const { ipAddress, userAgent, appId, servicePrincipalId } = alert.actor;
    const family = ipAddress === undefined ? 0 : isIP(ipAddress);
    if (ipAddress !== undefined && family !== 0 && this.addresses.check(ipAddress, family === 6 ? 'ipv6' : 'ipv4')) return true;
    // Whole user agents only: a substring would let an attacker opt out by naming the scanner in theirs.
    if (userAgent !== undefined && this.userAgents.includes(userAgent.trim().toLowerCase())) return true;
    return [appId, servicePrincipalId].some((id) => id !== undefined && this.appIds.has(id.toLowerCase()));
  }
}
