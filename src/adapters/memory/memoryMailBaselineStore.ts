import type { MailAppBaseline } from '../../domain/mailBaselines.js';
import type { MailBaselineStore } from '../../ports/store/mailBaselineStore.js';
import { DocumentMap } from './documentMap.js';

export function memoryMailBaselineStore(): MailBaselineStore {
  const baselines = new DocumentMap<MailAppBaseline>();
  return {
    async getMailBaseline(mailbox) {
      return baselines.get(mailbox);
    },

    async createMailBaseline(baseline) {
      return baselines.create(baseline.mailbox, baseline, `mailbox ${baseline.mailbox} already has a baseline`);
    },

    async updateMailBaseline(baseline, etag) {
      return baselines.update(baseline.mailbox, baseline, etag, `the baseline of ${baseline.mailbox} changed since it was read`);
    },
  };
}
