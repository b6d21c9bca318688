import type { ChannelName } from '../../domain/delivery.js';
import type { AlertDeliveryDeps } from './types.js';

/** Keeps each channel under its rate (Teams throttles above about four a second). */
export class ChannelPacer {
  private readonly nextSendAt = new Map<ChannelName, number>();

  constructor(private readonly deps: Pick<AlertDeliveryDeps, 'settings' | 'sleep'>) {}

  /** Waits for the channel's next slot and takes it. False: the wait would pass the deadline. */
  async pace(channel: ChannelName, deadline: number): Promise<boolean> {
    const intervalInMs = 1000 / this.deps.settings.ratesPerSecond[channel];
    const now = Date.now();
    const at = Math.max(now, this.nextSendAt.get(channel) ?? 0);
    if (at >= deadline) return false;
    this.nextSendAt.set(channel, at + intervalInMs);
    if (at > now) await this.deps.sleep(at - now);
    return true;
  }
}
