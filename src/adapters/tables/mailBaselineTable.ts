import type { MailAppBaseline } from '../../domain/mailBaselines.js';
import type { MailBaselineStore } from '../../ports/store/mailBaselineStore.js';
import { type DocumentTable, documentEntity } from './documentTable.js';
import { encodeKey } from './tableKeys.js';

const BASELINE_ROW = 'baseline';

/** One baseline document per mailbox, in a partition of its own, under ETags. */
export function tableMailBaselineStore(table: DocumentTable): MailBaselineStore {
  return {
    async getMailBaseline(mailbox) {
      return table.getDocument<MailAppBaseline>(encodeKey(mailbox), BASELINE_ROW);
    },

    async createMailBaseline(baseline) {
      return table.create(documentEntity(encodeKey(baseline.mailbox), BASELINE_ROW, baseline), `mailbox ${baseline.mailbox} already has a baseline`);
    },

    async updateMailBaseline(baseline, etag) {
      return table.update(
        documentEntity(encodeKey(baseline.mailbox), BASELINE_ROW, baseline),
        etag,
        `the baseline of ${baseline.mailbox} changed since it was read`,
      );
    },
  };
}
