import type {
  IndexedIssuance,
  MissingIssuance,
  PendingTokenCheck,
  SignInLateness,
  SignInProgress,
  TokenIssuance,
  TokenMatchCount,
} from '../../domain/tokens.js';
import type { TokenIndexStore } from '../../ports/store/tokenIndexStore.js';
import { checkKeyOf, dueBucketOf, issuanceHourOf, issuanceHoursBetween, sumMatchCounts } from '../storeSchemes.js';

export function memoryTokenIndexStore(): TokenIndexStore {
  /**
   * Issuance hour → token id → what `getTokenIssuances` gives back, packed in one string: a replay holds
   * every sign-in's, and one short string costs a fraction of an object and its strings.
   */
  const issuances = new Map<string, Map<string, string>>();
  /** (token id, alert) → the row as JSON. */
  const missingIssuances = new Map<string, string>();
  const progress = new Map<string, SignInProgress>();
  /** due bucket → (token id, evidence) → check JSON */
  const checks = new Map<string, Map<string, string>>();
  const matchCounts = new Map<string, TokenMatchCount & { readonly updatedAt: string }>();
  /** (hour, tenant, stream, writer) → the row as JSON, so callers never share its arrays. */
  const lateness = new Map<string, { readonly hour: string; readonly json: string }>();
  return {
    async upsertTokenIssuances(batch) {
      // A batch's sign-ins fall in an hour or two: look the hour's partition up when the hour changes.
      let current: { readonly hourPrefix: string; readonly partition: Map<string, string> } | undefined;
      for (const issuance of batch) {
        if (current === undefined || !issuance.issuedAt.startsWith(current.hourPrefix)) {
          const hour = issuanceHourOf(issuance.issuedAt);
          current = { hourPrefix: issuance.issuedAt.slice(0, 13), partition: issuances.get(hour) ?? new Map<string, string>() };
          issuances.set(hour, current.partition);
        }
        current.partition.set(issuance.uti, packIssuance(issuance));
      }
    },

    async findTokenIssuances(lookups) {
      const found = new Set<string>();
      for (const { uti, from, to } of lookups) {
        if (issuanceHoursBetween(from, to).some((hour) => issuances.get(hour)?.has(uti))) found.add(uti);
      }
      return found;
    },

    async getTokenIssuances(lookups) {
      const found = new Map<string, IndexedIssuance>();
      for (const { uti, from, to } of lookups) {
        for (const hour of issuanceHoursBetween(from, to)) {
          const packed = issuances.get(hour)?.get(uti);
          if (packed !== undefined) found.set(uti, unpackIssuance(uti, packed));
        }
      }
      return [...found.values()];
    },

    async deleteTokenIssuancesBefore(before) {
      const boundary = issuanceHourOf(before);
      let deleted = 0;
      for (const [hour, partition] of [...issuances]) {
        if (hour < boundary) {
          deleted += partition.size;
          issuances.delete(hour);
        }
      }
      return deleted;
    },

    async advanceSignInProgress(entries) {
      for (const entry of entries) {
        const key = `${entry.tenantId}\u0000${entry.category}`;
        const current = progress.get(key);
        progress.set(
          key,
          current === undefined ? { ...entry } : { ...current, watermark: entry.watermark > current.watermark ? entry.watermark : current.watermark },
        );
      }
    },

    async listSignInProgress() {
      return [...progress.values()].map((entry) => ({ ...entry }));
    },

    async upsertSignInLateness(writerId, rows) {
      for (const row of rows)
        lateness.set(`${row.hour}\u0000${row.tenantId}\u0000${row.category}\u0000${writerId}`, { hour: row.hour, json: JSON.stringify(row) });
    },

    async listSignInLateness(since) {
      const from = issuanceHourOf(since);
      return [...lateness.values()].filter((row) => issuanceHourOf(row.hour) >= from).map((row) => JSON.parse(row.json) as SignInLateness);
    },

    async deleteSignInLatenessBefore(before) {
      const boundary = issuanceHourOf(before);
      let deleted = 0;
      for (const [key, row] of [...lateness]) {
        if (issuanceHourOf(row.hour) < boundary) {
          lateness.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },

    async recordMissingIssuances(batch) {
      for (const row of batch) missingIssuances.set(`${row.uti}\u0000${row.alertId}`, JSON.stringify(row));
    },

    async listMissingIssuances() {
      return [...missingIssuances.values()].map((json) => JSON.parse(json) as MissingIssuance);
    },

    async deleteMissingIssuances(batch) {
      for (const row of batch) missingIssuances.delete(`${row.uti}\u0000${row.alertId}`);
    },

    async deleteMissingIssuancesBefore(before) {
      let deleted = 0;
      for (const [key, json] of [...missingIssuances]) {
        if ((JSON.parse(json) as MissingIssuance).judgedAt < before) {
          missingIssuances.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },

    async upsertPendingTokenChecks(batch) {
      for (const check of batch) {
        const bucket = dueBucketOf(check.dueAt);
        const partition = checks.get(bucket) ?? new Map<string, string>();
        partition.set(checkKeyOf(check), JSON.stringify(check));
        checks.set(bucket, partition);
      }
    },

    async *listPendingTokenChecks(dueBy) {
      const boundary = dueBucketOf(dueBy);
      for (const [bucket, partition] of [...checks].sort(([a], [b]) => a.localeCompare(b))) {
        if (bucket > boundary) continue;
        for (const json of [...partition.values()]) yield JSON.parse(json) as PendingTokenCheck;
      }
    },

    async deletePendingTokenChecks(batch) {
      for (const check of batch) {
        const bucket = dueBucketOf(check.dueAt);
        const partition = checks.get(bucket);
        partition?.delete(checkKeyOf(check));
        if (partition?.size === 0) checks.delete(bucket);
      }
    },

    async upsertTokenMatchCounts(writerId, counts, updatedAt) {
      for (const count of counts) matchCounts.set(`${count.source}\u0000${count.appId}\u0000${writerId}`, { ...count, updatedAt });
    },

    async listTokenMatchCounts() {
      return sumMatchCounts([...matchCounts.values()].map(({ updatedAt: _updatedAt, ...count }) => count));
    },

    async deleteTokenMatchCountsBefore(before) {
      let deleted = 0;
      for (const [key, row] of [...matchCounts]) {
        if (row.updatedAt < before) {
          matchCounts.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },
  };
}

/** What `getTokenIssuances` gives back, in one string: time, category and record id (none holds a NUL). */
function packIssuance(issuance: TokenIssuance): string {
  return `${issuance.issuedAt}\u0000${issuance.category}\u0000${issuance.recordId ?? ''}`;
}

function unpackIssuance(uti: string, packed: string): IndexedIssuance {
  const [issuedAt = '', category = '', recordId = ''] = packed.split('\u0000');
  return { uti, issuedAt, category: category as TokenIssuance['category'], ...(recordId === '' ? {} : { recordId }) };
}
