import type { Incident, StoredAlert } from '../domain/alerts.js';
import type { Decoy } from '../domain/decoys.js';
import type { DecoyLifecycle, JournalEntry } from '../domain/lifecycle.js';
import type { OutboxEntry } from '../domain/delivery.js';
import { parseDecoy } from '../decoys/parseDecoys.js';
import type { KeySetFetch, SigningKey } from '../domain/signingKeys.js';
import type { AuditEntry } from '../domain/audit.js';
import type { AuditFeedState, CopiedAuditContent } from '../domain/auditFeed.js';
import type { HubCheckpoint, HubPartitionOwnership, HubScope, StreamArrival, StreamCount, StreamState } from '../domain/streams.js';
import type { IssuanceLookup, PendingTokenCheck, SignInProgress, TokenIssuance, TokenMatchCount } from '../domain/tokens.js';
import type { MailAppBaseline } from '../domain/mailBaselines.js';
import type { DeadLetter } from '../domain/deadLetters.js';
import { ConcurrencyError, type Versioned } from '../ports/store/versioned.js';
import { MAX_DECOYS_PER_WRITE } from '../ports/store/decoyStore.js';
import type { AlertFilter } from '../ports/store/alertStore.js';
import type { StateStore } from '../ports/store/stateStore.js';
import { checkKeyOf, dueBucketOf, issuanceHourOf, issuanceHoursBetween, sumMatchCounts } from './storeSchemes.js';

interface Row {
  readonly json: string;
  readonly etag: string;
}

/**
 * The state store in memory, for unit tests and `lure replay`. Values are kept as JSON so callers never
 * share objects with the store, exactly as with the Table adapter; ETags behave the same way.
 */
export class MemoryStateStore implements StateStore {
  private readonly decoys = new Map<string, Row>();
  private readonly alerts = new Map<string, Row>();
  private readonly deadLetters = new Map<string, Row>();
  /** Issuance hour → the token ids issued in it: only presence is ever asked of the index. */
  private readonly issuances = new Map<string, Set<string>>();
  private readonly progress = new Map<string, SignInProgress>();
  /** due bucket → (token id, evidence) → check JSON */
  private readonly checks = new Map<string, Map<string, string>>();
  private readonly matchCounts = new Map<string, TokenMatchCount & { readonly updatedAt: string }>();
  private readonly signingKeys = new Map<string, string>();
  private readonly keySetFetches = new Map<string, string>();
  private readonly mailBaselines = new Map<string, Row>();
  private readonly incidents = new Map<string, Row>();
  private readonly streams = new Map<string, StreamState>();
  private readonly lifecycles = new Map<string, string>();
  private readonly journal = new Map<string, Row>();
  private readonly outbox = new Map<string, Row>();
  private readonly audit = new Map<string, string>();
  private readonly auditFeeds = new Map<string, string>();
  /** scope and partition → ownership / checkpoint */
  private readonly hubOwnerships = new Map<string, Row>();
  private readonly hubCheckpoints = new Map<string, string>();
  /** content type → content id → copied blob */
  private readonly copiedContent = new Map<string, Map<string, CopiedAuditContent>>();
  /** writer, origin and bucket → counts */
  private readonly streamCounts = new Map<string, StreamCount>();
  /** actor key → incident id → latest alert time */
  private readonly incidentKeys = new Map<string, Map<string, string>>();
  private version = 0;
  private decoyRegistryVersion = 'W/"registry-0"';

  async listDecoys(): Promise<Decoy[]> {
    return [...this.decoys.values()].map((row) => parseDecoy(JSON.parse(row.json)));
  }

  async getDecoyRegistry(): Promise<Versioned<readonly Decoy[]>> {
    // The version before the list: a write while the list is read must leave the version behind, not ahead.
    const etag = this.decoyRegistryVersion;
    return { value: await this.listDecoys(), etag };
  }

  async upsertDecoys(decoys: readonly Decoy[], version: string): Promise<string> {
    if (decoys.length > MAX_DECOYS_PER_WRITE) throw new RangeError(`at most ${MAX_DECOYS_PER_WRITE} decoys at a time`);
    if (version !== this.decoyRegistryVersion) throw new ConcurrencyError('the decoy registry changed since it was read');
    for (const decoy of decoys) this.decoys.set(decoy.id, this.row(decoy));
    return this.decoysWritten();
  }

  async getDecoy(id: string): Promise<Versioned<Decoy> | undefined> {
    const row = this.decoys.get(id);
    return row && { value: parseDecoy(JSON.parse(row.json)), etag: row.etag };
  }

  async upsertDecoy(decoy: Decoy): Promise<void> {
    this.decoys.set(decoy.id, this.row(decoy));
    this.decoysWritten();
  }

  async updateDecoy(decoy: Decoy, etag: string): Promise<string> {
    if (this.decoys.get(decoy.id)?.etag !== etag) throw new ConcurrencyError(`decoy ${decoy.id} changed since it was read`);
    const row = this.row(decoy);
    this.decoys.set(decoy.id, row);
    this.decoysWritten();
    return row.etag;
  }

  async deleteDecoy(id: string): Promise<void> {
    if (this.decoys.delete(id)) this.decoysWritten();
  }

  /** Any write of a decoy moves the registry to a new version. */
  private decoysWritten(): string {
    this.version += 1;
    this.decoyRegistryVersion = `W/"registry-${this.version}"`;
    return this.decoyRegistryVersion;
  }

  async getAlert(id: string): Promise<Versioned<StoredAlert> | undefined> {
    const row = this.alerts.get(id);
    return row && { value: JSON.parse(row.json) as StoredAlert, etag: row.etag };
  }

  async createAlert(alert: StoredAlert): Promise<void> {
    if (this.alerts.has(alert.alert.id)) throw new ConcurrencyError(`alert ${alert.alert.id} already exists`);
    this.alerts.set(alert.alert.id, this.row(alert));
  }

  async updateAlert(alert: StoredAlert, etag: string): Promise<void> {
    const current = this.alerts.get(alert.alert.id);
    if (current === undefined || current.etag !== etag) throw new ConcurrencyError(`alert ${alert.alert.id} changed since it was read`);
    this.alerts.set(alert.alert.id, this.row(alert));
  }

  async *listAlerts(filter: AlertFilter = {}): AsyncIterable<StoredAlert> {
    for (const row of [...this.alerts.values()]) {
      const stored = JSON.parse(row.json) as StoredAlert;
      if (matchesAlertFilter(stored.alert, filter)) yield stored;
    }
  }

  async listHubOwnerships(scope: HubScope): Promise<Versioned<HubPartitionOwnership>[]> {
    const prefix = hubScopeKey(scope);
    return [...this.hubOwnerships].filter(([key]) => key.startsWith(prefix)).map(([, row]) => ({ value: JSON.parse(row.json) as HubPartitionOwnership, etag: row.etag }));
  }

  async claimHubOwnership(ownership: HubPartitionOwnership, etag: string | undefined): Promise<string> {
    const key = `${hubScopeKey(ownership)}${ownership.partitionId}`;
    const current = this.hubOwnerships.get(key);
    if (etag === undefined ? current !== undefined : current?.etag !== etag) throw new ConcurrencyError(`partition ${ownership.partitionId} of ${ownership.hub} was claimed by another consumer`);
    const row = this.row(ownership);
    this.hubOwnerships.set(key, row);
    return row.etag;
  }

  async listHubCheckpoints(scope: HubScope): Promise<HubCheckpoint[]> {
    const prefix = hubScopeKey(scope);
    return [...this.hubCheckpoints].filter(([key]) => key.startsWith(prefix)).map(([, json]) => JSON.parse(json) as HubCheckpoint);
  }

  async upsertHubCheckpoint(checkpoint: HubCheckpoint): Promise<void> {
    this.hubCheckpoints.set(`${hubScopeKey(checkpoint)}${checkpoint.partitionId}`, JSON.stringify(checkpoint));
  }

  async getAuditFeedState(contentType: string): Promise<AuditFeedState | undefined> {
    const json = this.auditFeeds.get(contentType);
    return json === undefined ? undefined : (JSON.parse(json) as AuditFeedState);
  }

  async upsertAuditFeedState(state: AuditFeedState): Promise<void> {
    this.auditFeeds.set(state.contentType, JSON.stringify(state));
  }

  async listCopiedAuditContent(contentType: string, since: string): Promise<Set<string>> {
    return new Set([...(this.copiedContent.get(contentType)?.values() ?? [])].filter((content) => content.contentCreated >= since).map((content) => content.contentId));
  }

  async upsertCopiedAuditContent(contents: readonly CopiedAuditContent[]): Promise<void> {
    for (const content of contents) {
      const byId = this.copiedContent.get(content.contentType) ?? new Map<string, CopiedAuditContent>();
      byId.set(content.contentId, { contentType: content.contentType, contentId: content.contentId, contentCreated: content.contentCreated });
      this.copiedContent.set(content.contentType, byId);
    }
  }

  async deleteCopiedAuditContentBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const byId of this.copiedContent.values()) {
      for (const [id, content] of [...byId]) {
        if (content.contentCreated < before) {
          byId.delete(id);
          deleted += 1;
        }
      }
    }
    return deleted;
  }

  async deleteAlertsBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const [id, row] of [...this.alerts]) {
      if ((JSON.parse(row.json) as StoredAlert).alert.occurredAt < before) {
        this.alerts.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async deleteIncidentsBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const [id, row] of [...this.incidents]) {
      if ((JSON.parse(row.json) as Incident).lastOccurredAt < before) {
        this.incidents.delete(id);
        deleted += 1;
      }
    }
    for (const entries of this.incidentKeys.values()) for (const [id, lastOccurredAt] of [...entries]) if (lastOccurredAt < before) entries.delete(id);
    return deleted;
  }

  async createAuditEntry(entry: AuditEntry): Promise<void> {
    this.audit.set(entry.id, JSON.stringify(entry));
  }

  async *listAuditEntries(range: { readonly from?: string; readonly to?: string } = {}): AsyncIterable<AuditEntry> {
    for (const json of [...this.audit.values()]) {
      const entry = JSON.parse(json) as AuditEntry;
      if ((range.from === undefined || entry.at >= range.from) && (range.to === undefined || entry.at < range.to)) yield entry;
    }
  }

  async deleteAuditEntriesBefore(before: string): Promise<number> {
    const boundary = before.slice(0, 10);
    let deleted = 0;
    for (const [id, json] of [...this.audit]) {
      if ((JSON.parse(json) as AuditEntry).at.slice(0, 10) < boundary) {
        this.audit.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    for (const letter of letters) this.deadLetters.set(letter.id, this.row(letter));
  }

  async *listDeadLetters(): AsyncIterable<DeadLetter> {
    for (const row of [...this.deadLetters.values()]) yield JSON.parse(row.json) as DeadLetter;
  }

  async deleteDeadLettersBefore(before: string): Promise<number> {
    const boundary = before.slice(0, 10);
    let deleted = 0;
    for (const [id, row] of [...this.deadLetters]) {
      if ((JSON.parse(row.json) as DeadLetter).receivedAt.slice(0, 10) < boundary) {
        this.deadLetters.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async upsertTokenIssuances(issuances: readonly TokenIssuance[]): Promise<void> {
    // A batch's sign-ins fall in an hour or two: look the hour's partition up when the hour changes.
    let hourPrefix: string | undefined;
    let partition: Set<string> | undefined;
    for (const issuance of issuances) {
      if (partition === undefined || !issuance.issuedAt.startsWith(hourPrefix!)) {
        hourPrefix = issuance.issuedAt.slice(0, 13);
        const hour = issuanceHourOf(issuance.issuedAt);
        partition = this.issuances.get(hour) ?? new Set<string>();
        this.issuances.set(hour, partition);
      }
      // The Table adapter keeps the fields, for people reading the index.
      partition.add(issuance.uti);
    }
  }

  async findTokenIssuances(lookups: readonly IssuanceLookup[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const { uti, from, to } of lookups) {
      if (issuanceHoursBetween(from, to).some((hour) => this.issuances.get(hour)?.has(uti))) found.add(uti);
    }
    return found;
  }

  async deleteTokenIssuancesBefore(before: string): Promise<number> {
    const boundary = issuanceHourOf(before);
    let deleted = 0;
    for (const [hour, partition] of [...this.issuances]) {
      if (hour < boundary) {
        deleted += partition.size;
        this.issuances.delete(hour);
      }
    }
    return deleted;
  }

  async advanceSignInProgress(progress: readonly SignInProgress[]): Promise<void> {
    for (const entry of progress) {
      const key = `${entry.tenantId}\u0000${entry.category}`;
      const current = this.progress.get(key);
      this.progress.set(
        key,
        current === undefined ? { ...entry } : { ...current, watermark: entry.watermark > current.watermark ? entry.watermark : current.watermark },
      );
    }
  }

  async listSignInProgress(): Promise<SignInProgress[]> {
    return [...this.progress.values()].map((entry) => ({ ...entry }));
  }

  async upsertPendingTokenChecks(checks: readonly PendingTokenCheck[]): Promise<void> {
    for (const check of checks) {
      const bucket = dueBucketOf(check.dueAt);
      const partition = this.checks.get(bucket) ?? new Map<string, string>();
      partition.set(checkKeyOf(check), JSON.stringify(check));
      this.checks.set(bucket, partition);
    }
  }

  async *listPendingTokenChecks(dueBy: string): AsyncIterable<PendingTokenCheck> {
    const boundary = dueBucketOf(dueBy);
    for (const [bucket, partition] of [...this.checks].sort(([a], [b]) => a.localeCompare(b))) {
      if (bucket > boundary) continue;
      for (const json of [...partition.values()]) yield JSON.parse(json) as PendingTokenCheck;
    }
  }

  async deletePendingTokenChecks(checks: readonly PendingTokenCheck[]): Promise<void> {
    for (const check of checks) {
      const bucket = dueBucketOf(check.dueAt);
      const partition = this.checks.get(bucket);
      partition?.delete(checkKeyOf(check));
      if (partition?.size === 0) this.checks.delete(bucket);
    }
  }

  async upsertTokenMatchCounts(writerId: string, counts: readonly TokenMatchCount[], updatedAt: string): Promise<void> {
    for (const count of counts) this.matchCounts.set(`${count.source}\u0000${count.appId}\u0000${writerId}`, { ...count, updatedAt });
  }

  async deleteTokenMatchCountsBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const [key, row] of [...this.matchCounts]) {
      if (row.updatedAt < before) {
        this.matchCounts.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  async listTokenMatchCounts(): Promise<TokenMatchCount[]> {
    return sumMatchCounts([...this.matchCounts.values()].map(({ updatedAt: _updatedAt, ...count }) => count));
  }

  async getDecoyLifecycle(decoyId: string): Promise<DecoyLifecycle | undefined> {
    const json = this.lifecycles.get(decoyId);
    return json === undefined ? undefined : (JSON.parse(json) as DecoyLifecycle);
  }

  async listDecoyLifecycles(): Promise<DecoyLifecycle[]> {
    return [...this.lifecycles.values()].map((json) => JSON.parse(json) as DecoyLifecycle);
  }

  async upsertDecoyLifecycle(lifecycle: DecoyLifecycle): Promise<void> {
    this.lifecycles.set(lifecycle.decoyId, JSON.stringify(lifecycle));
  }

  async deleteDecoyLifecycle(decoyId: string): Promise<void> {
    this.lifecycles.delete(decoyId);
  }

  async createJournalEntry(entry: JournalEntry): Promise<string> {
    if (this.journal.has(entry.id)) throw new ConcurrencyError(`journal entry ${entry.id} already exists`);
    const row = this.row(entry);
    this.journal.set(entry.id, row);
    return row.etag;
  }

  async updateJournalEntry(entry: JournalEntry, etag: string): Promise<string> {
    if (this.journal.get(entry.id)?.etag !== etag) throw new ConcurrencyError(`journal entry ${entry.id} changed since it was read`);
    const row = this.row(entry);
    this.journal.set(entry.id, row);
    return row.etag;
  }

  async getJournalEntry(id: string): Promise<Versioned<JournalEntry> | undefined> {
    const row = this.journal.get(id);
    return row && { value: JSON.parse(row.json) as JournalEntry, etag: row.etag };
  }

  async listJournalEntries(since: string): Promise<JournalEntry[]> {
    return [...this.journal.values()].map((row) => JSON.parse(row.json) as JournalEntry).filter((entry) => entry.step !== 'finished' || entry.updatedAt >= since);
  }

  async deleteJournalEntriesBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const [id, row] of [...this.journal]) {
      const entry = JSON.parse(row.json) as JournalEntry;
      if (entry.step === 'finished' && entry.updatedAt < before) {
        this.journal.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async createOutboxEntry(entry: OutboxEntry): Promise<boolean> {
    if (this.outbox.has(entry.id)) return false;
    this.outbox.set(entry.id, this.row(entry));
    return true;
  }

  async getOutboxEntry(id: string): Promise<Versioned<OutboxEntry> | undefined> {
    const row = this.outbox.get(id);
    return row && { value: JSON.parse(row.json) as OutboxEntry, etag: row.etag };
  }

  async updateOutboxEntry(entry: OutboxEntry, etag: string): Promise<string> {
    if (this.outbox.get(entry.id)?.etag !== etag) throw new ConcurrencyError(`outbox entry ${entry.id} changed since it was read`);
    const row = this.row(entry);
    this.outbox.set(entry.id, row);
    return row.etag;
  }

  async listDueOutboxEntries(dueBy: string): Promise<Versioned<OutboxEntry>[]> {
    return [...this.outbox.values()]
      .map((row) => ({ value: JSON.parse(row.json) as OutboxEntry, etag: row.etag }))
      .filter(({ value }) => value.status === 'pending' && value.nextAttemptAt <= dueBy);
  }

  async *listOutboxEntries(): AsyncIterable<OutboxEntry> {
    for (const row of [...this.outbox.values()]) yield JSON.parse(row.json) as OutboxEntry;
  }

  async deleteOutboxEntriesBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const [id, row] of [...this.outbox]) {
      const entry = JSON.parse(row.json) as OutboxEntry;
      if (entry.status !== 'pending' && entry.completedAt !== undefined && entry.completedAt < before) {
        this.outbox.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async listSigningKeys(): Promise<SigningKey[]> {
    return [...this.signingKeys.values()].map((json) => JSON.parse(json) as SigningKey);
  }

  async upsertSigningKeys(keys: readonly SigningKey[]): Promise<void> {
    for (const key of keys) this.signingKeys.set(key.kid, JSON.stringify(key));
  }

  async listKeySetFetches(): Promise<KeySetFetch[]> {
    return [...this.keySetFetches.values()].map((json) => JSON.parse(json) as KeySetFetch);
  }

  async upsertKeySetFetches(fetches: readonly KeySetFetch[]): Promise<void> {
    for (const fetch of fetches) this.keySetFetches.set(fetch.set, JSON.stringify(fetch));
  }

  async getMailBaseline(mailbox: string): Promise<Versioned<MailAppBaseline> | undefined> {
    const row = this.mailBaselines.get(mailbox);
    return row && { value: JSON.parse(row.json) as MailAppBaseline, etag: row.etag };
  }

  async createMailBaseline(baseline: MailAppBaseline): Promise<string> {
    if (this.mailBaselines.has(baseline.mailbox)) throw new ConcurrencyError(`mailbox ${baseline.mailbox} already has a baseline`);
    const row = this.row(baseline);
    this.mailBaselines.set(baseline.mailbox, row);
    return row.etag;
  }

  async updateMailBaseline(baseline: MailAppBaseline, etag: string): Promise<string> {
    const current = this.mailBaselines.get(baseline.mailbox);
    if (current === undefined || current.etag !== etag) throw new ConcurrencyError(`the baseline of ${baseline.mailbox} changed since it was read`);
    const row = this.row(baseline);
    this.mailBaselines.set(baseline.mailbox, row);
    return row.etag;
  }

  async getIncident(id: string): Promise<Versioned<Incident> | undefined> {
    const row = this.incidents.get(id);
    return row && { value: JSON.parse(row.json) as Incident, etag: row.etag };
  }

  async createIncident(incident: Incident): Promise<void> {
    if (this.incidents.has(incident.id)) throw new ConcurrencyError(`incident ${incident.id} already exists`);
    this.incidents.set(incident.id, this.row(incident));
  }

  async updateIncident(incident: Incident, etag: string): Promise<void> {
    const current = this.incidents.get(incident.id);
    if (current === undefined || current.etag !== etag) throw new ConcurrencyError(`incident ${incident.id} changed since it was read`);
    this.incidents.set(incident.id, this.row(incident));
  }

  async *listIncidents(): AsyncIterable<Incident> {
    for (const row of [...this.incidents.values()]) yield JSON.parse(row.json) as Incident;
  }

  async findIncidentsByActorKeys(actorKeys: readonly string[], since: string): Promise<string[]> {
    const ids = new Set<string>();
    for (const key of actorKeys) {
      for (const [id, lastOccurredAt] of this.incidentKeys.get(key) ?? []) if (lastOccurredAt >= since) ids.add(id);
    }
    return [...ids];
  }

  async upsertIncidentActorKeys(incident: Incident): Promise<void> {
    for (const key of incident.actorKeys) {
      const entries = this.incidentKeys.get(key) ?? new Map<string, string>();
      entries.set(incident.id, incident.lastOccurredAt);
      this.incidentKeys.set(key, entries);
    }
  }

  async listStreams(): Promise<StreamState[]> {
    return [...this.streams.values()].map((stream) => ({ ...stream }));
  }

  async upsertStreamCounts(writerId: string, counts: readonly StreamCount[]): Promise<void> {
    for (const count of counts) this.streamCounts.set(`${writerId}\u0000${count.origin}\u0000${count.bucket}`, { ...count });
  }

  async listStreamCounts(since: string): Promise<StreamCount[]> {
    return [...this.streamCounts.values()].filter((count) => count.bucket >= since).map((count) => ({ ...count }));
  }

  async deleteStreamCountsBefore(before: string): Promise<number> {
    let deleted = 0;
    for (const [key, count] of [...this.streamCounts]) {
      if (count.bucket < before) {
        this.streamCounts.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  async recordStreamArrivals(arrivals: readonly StreamArrival[]): Promise<void> {
    for (const arrival of arrivals) this.streams.set(arrival.stream, { ...this.streams.get(arrival.stream), ...arrival });
  }

  async setStreamSilence(stream: string, silentAlertId: string | undefined): Promise<void> {
    const current = this.streams.get(stream);
    if (current === undefined) return;
    const { silentAlertId: _previous, ...rest } = current;
    this.streams.set(stream, silentAlertId === undefined ? rest : { ...rest, silentAlertId });
  }

  private row(value: unknown): Row {
    this.version += 1;
    return { json: JSON.stringify(value), etag: `W/"${this.version}"` };
  }
}


function hubScopeKey(scope: HubScope): string {
  return `${scope.namespace.toLowerCase()}\u0000${scope.hub.toLowerCase()}\u0000${scope.consumerGroup.toLowerCase()}\u0000`;
}

/** Whether an alert passes a filter (adapters that cannot filter in the store use this). */
function matchesAlertFilter(alert: StoredAlert['alert'], filter: AlertFilter): boolean {
  return (
    (filter.status === undefined || alert.status === filter.status) &&
    (filter.severity === undefined || alert.severity === filter.severity) &&
    (filter.detection === undefined || alert.detection === filter.detection) &&
    (filter.occurredFrom === undefined || alert.occurredAt >= filter.occurredFrom) &&
    (filter.occurredTo === undefined || alert.occurredAt < filter.occurredTo)
  );
}
