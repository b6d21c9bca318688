import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert, StoredAlert } from '../../src/domain/alerts.js';
import type { Decoy } from '../../src/domain/decoys.js';
import type { DecoyLifecycle, JournalEntry } from '../../src/domain/lifecycle.js';
import type { OutboxEntry } from '../../src/domain/delivery.js';
import { issuanceLookupOf, type PendingTokenCheck, type TokenIssuance } from '../../src/domain/tokens.js';
import type { DeadLetter } from '../../src/domain/deadLetters.js';
import { ConcurrencyError } from '../../src/ports/store/versioned.js';
import { MAX_DECOYS_PER_WRITE } from '../../src/ports/store/decoyStore.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';

/** Ids holding every character Table keys forbid, plus the ones message and item ids really carry. */
export const AWKWARD_IDS = ['a/b', 'back\\slash', 'hash#tag', 'what?', 'LgAAAA+/x/y==', '<msg@contoso.example>', 'ctl\u0001\u007f', 'é-ü-日本', 'x'.repeat(900)];

function storedAlert(id: string, overrides: Partial<Alert> = {}): StoredAlert {
  const alert: Alert = {
    id,
    detection: 'decoy.user.signIn',
    severity: 'high',
    title: 'Sign-in attempt as decoy user svc-backup@contoso.example',
    summary: 'summary',
    occurredAt: '2026-11-02T08:14:03.123Z',
    detectedAt: '2026-11-28T12:00:00.000Z',
    decoyId: 'd-user-1',
    actor: { userPrincipalName: 'svc-backup@contoso.example', ipAddress: '203.0.113.45' },
    target: { objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' },
    evidence: [{ source: 'entra', type: 'SignInLogs', id: 'e1', time: '2026-11-02T08:14:03.123Z' }],
    count: 1,
    dedupeKey: `decoy.user.signIn|d-user-1|x|${id}`,
    status: 'open',
    ...overrides,
  };
  return { alert, evidenceKeys: ['aaaaaaaaaaaa'], lead: { severity: alert.severity, time: alert.occurredAt, evidenceKey: 'aaaaaaaaaaaa' } };
}

function deadLetter(id: string, receivedAt = '2026-11-28T12:00:00.000Z'): DeadLetter {
  return { id, receivedAt, origin: 'entra partition 0', reason: 'malformed-json', detail: 'malformed-json', excerpt: `{"broken": ${JSON.stringify(id)}` };
}

function issuance(uti: string, issuedAt: string): TokenIssuance {
  return { uti, issuedAt, tenantId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', category: 'SignInLogs', principal: 'svc@contoso.example' };
}

function pendingCheck(uti: string, dueAt: string, recordId = `r-${uti}`): PendingTokenCheck {
  return {
    uti,
    source: 'graph',
    usedAt: '2026-11-02T08:00:00.000Z',
    issuedAt: '2026-11-02T07:59:00.000Z',
    appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
    resource: 'GET https://graph.microsoft.com/v1.0/me/messages',
    readsMail: true,
    touchesDecoy: false,
    actor: { userId: 'u1', ipAddress: '203.0.113.45' },
    token: { uniqueTokenId: uti },
    evidence: { source: 'entra', type: 'MicrosoftGraphActivityLogs', id: recordId, time: '2026-11-02T08:00:00.000Z' },
    dueAt,
  };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

/**
 * The behaviour every `StateStore` must have. The in-memory adapter and the Table adapter (on Azurite)
 * both run it, so the fast fake cannot drift from the real thing.
 */
export function stateStoreContract(name: string, createStore: () => Promise<StateStore>): void {
  describe(`StateStore contract: ${name}`, () => {
    it('stores, lists, replaces and deletes decoys', async () => {
      const store = await createStore();
      const user: Decoy = { id: 'd-user-1', kind: 'user', enabled: true, userPrincipalName: 'svc-backup@contoso.example', objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44' };
      const token: Decoy = { id: 'd-token-1', kind: 'token', enabled: false, kid: 'k/1#?', memo: 'planted in repo' };
      await store.upsertDecoy(user);
      await store.upsertDecoy(token);
      assert.deepEqual((await store.listDecoys()).sort((a, b) => a.id.localeCompare(b.id)), [token, user]);
      const read = await store.getDecoy('d-token-1');
      assert.deepEqual(read?.value, token);
      assert.ok(read !== undefined && read.etag.length > 0);

      await store.upsertDecoy({ ...user, enabled: false });
      assert.equal((await store.getDecoy('d-user-1'))?.value.enabled, false);
      await store.deleteDecoy('d-user-1');
      await store.deleteDecoy('never-existed');
      assert.equal(await store.getDecoy('d-user-1'), undefined);
      assert.deepEqual(await store.listDecoys(), [token]);
    });

    it('updates a decoy only at the ETag it was read at', async () => {
      const store = await createStore();
      const decoy: Decoy = { id: 'd-token-2', kind: 'token', enabled: true, kid: 'k/2#?' };
      await store.upsertDecoy(decoy);
      const first = await store.getDecoy(decoy.id);
      const second = await store.getDecoy(decoy.id);
      assert.ok(first !== undefined && second !== undefined);
      const etag = await store.updateDecoy({ ...decoy, enabled: false }, first.etag);
      await assert.rejects(store.updateDecoy({ ...decoy, memo: 'lost' }, second.etag), ConcurrencyError);
      const latest = await store.getDecoy(decoy.id);
      assert.deepEqual(latest?.value, { ...decoy, enabled: false });
      assert.equal(latest?.etag, etag);
      await store.deleteDecoy(decoy.id);
      await assert.rejects(store.updateDecoy(decoy, etag), ConcurrencyError);
      assert.equal(await store.getDecoy(decoy.id), undefined);
    });

    it('writes decoys at a registry version only while no decoy was written since, all or none', async () => {
      const store = await createStore();
      const first: Decoy = { id: 'd-token-a', kind: 'token', enabled: true, kid: 'kid-a' };
      const second: Decoy = { id: 'd-token-b', kind: 'token', enabled: true, kid: 'kid-b' };
      const empty = await store.getDecoyRegistry();
      assert.deepEqual(empty.value, []);
      const afterFirst = await store.upsertDecoys([first], empty.etag);
      assert.notEqual(afterFirst, empty.etag);
      // A racer that read the empty registry loses, and writes nothing.
      await assert.rejects(store.upsertDecoys([second, { ...first, memo: 'racer' }], empty.etag), ConcurrencyError);
      assert.deepEqual(await store.listDecoys(), [first]);
      const read = await store.getDecoyRegistry();
      assert.deepEqual(read, { value: [first], etag: afterFirst });
      await store.upsertDecoys([second, { ...first, memo: 'second write' }], read.etag);
      assert.deepEqual((await store.listDecoys()).sort((a, b) => a.id.localeCompare(b.id)), [{ ...first, memo: 'second write' }, second]);
      await assert.rejects(store.upsertDecoys(Array.from({ length: MAX_DECOYS_PER_WRITE + 1 }, (_, index) => ({ ...first, id: `d-${index}`, kid: `k-${index}` })), (await store.getDecoyRegistry()).etag), RangeError);
    });

    it('moves the registry version on every decoy write, so a decision on an older registry cannot be written', async () => {
      const store = await createStore();
      const decoy: Decoy = { id: 'd-user-v', kind: 'user', enabled: true, userPrincipalName: 'svc-v@contoso.example' };
      const writes: [string, () => Promise<unknown>][] = [
        ['upsertDecoy', () => store.upsertDecoy(decoy)],
        ['updateDecoy', async () => store.updateDecoy({ ...decoy, enabled: false }, (await store.getDecoy(decoy.id))!.etag)],
        ['deleteDecoy', () => store.deleteDecoy(decoy.id)],
      ];
      for (const [name, write] of writes) {
        const before = await store.getDecoyRegistry();
        await write();
        const after = await store.getDecoyRegistry();
        assert.notEqual(after.etag, before.etag, `${name} moves the version`);
        await assert.rejects(store.upsertDecoys([], before.etag), ConcurrencyError, `${name}: the older version is refused`);
      }
      // Deleting what is not there changes nothing.
      const before = await store.getDecoyRegistry();
      await store.deleteDecoy('never-existed');
      assert.equal((await store.getDecoyRegistry()).etag, before.etag);
    });

    it('lists alerts narrowed by status, severity, detection and event-time range', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('a1', { status: 'open', severity: 'critical', occurredAt: '2026-11-01T00:00:00.000Z' }));
      await store.createAlert(storedAlert('a2', { status: 'acknowledged', severity: 'critical', occurredAt: '2026-11-02T00:00:00.000Z' }));
      await store.createAlert(storedAlert('a3', { status: 'open', severity: 'high', detection: 'token.issuance.missing', occurredAt: '2026-11-03T00:00:00.000Z' }));
      await store.createAlert(storedAlert("a4'quote", { status: 'open', severity: 'high', detection: "it's", occurredAt: '2026-11-04T00:00:00.000Z' }));
      const ids = async (filter: Parameters<StateStore['listAlerts']>[0]) => (await all(store.listAlerts(filter))).map((stored) => stored.alert.id).sort();
      assert.deepEqual(await ids(undefined), ['a1', 'a2', 'a3', "a4'quote"]);
      assert.deepEqual(await ids({ status: 'open' }), ['a1', 'a3', "a4'quote"]);
      assert.deepEqual(await ids({ status: 'open', severity: 'critical' }), ['a1']);
      assert.deepEqual(await ids({ detection: 'token.issuance.missing' }), ['a3']);
      assert.deepEqual(await ids({ detection: "it's" }), ["a4'quote"]);
      assert.deepEqual(await ids({ occurredFrom: '2026-11-02T00:00:00.000Z', occurredTo: '2026-11-04T00:00:00.000Z' }), ['a2', 'a3']);
      assert.deepEqual(await ids({ status: 'resolved' }), []);
    });

    it('keeps the audit trail, lists it by time range and prunes whole days', async () => {
      const store = await createStore();
      const entry = (id: string, at: string) => ({ id, at, caller: { objectId: 'o1', userPrincipalName: 'admin@contoso.example' }, action: 'decoy.update', target: `decoy:${id}`, outcome: 'succeeded' as const, status: 200, detail: 'enabled: true → false' });
      await store.createAuditEntry(entry('e1', '2026-11-01T23:59:59.000Z'));
      await store.createAuditEntry(entry('e2', '2026-11-02T00:00:00.000Z'));
      await store.createAuditEntry(entry('e3', '2026-11-03T12:00:00.000Z'));
      await store.createAuditEntry(entry('e3', '2026-11-03T12:00:00.000Z'));
      const ids = async (range?: { from?: string; to?: string }) => (await all(store.listAuditEntries(range))).map((item) => item.id).sort();
      assert.deepEqual(await ids(), ['e1', 'e2', 'e3']);
      assert.deepEqual(await ids({ from: '2026-11-02T00:00:00.000Z' }), ['e2', 'e3']);
      assert.deepEqual(await ids({ from: '2026-11-01T12:00:00.000Z', to: '2026-11-03T12:00:00.000Z' }), ['e1', 'e2']);
      assert.deepEqual((await all(store.listAuditEntries()))[0]?.caller, { objectId: 'o1', userPrincipalName: 'admin@contoso.example' });
      assert.equal(await store.deleteAuditEntriesBefore('2026-11-02T06:00:00.000Z'), 1);
      assert.deepEqual(await ids(), ['e2', 'e3']);
    });

    it('keeps each writer\'s stream counts per origin and bucket, listed since a bucket and pruned before one', async () => {
      const store = await createStore();
      await store.upsertStreamCounts('w1', [
        { origin: 'entra', bucket: '2026-11-28T10:00:00.000Z', records: 5, deadLettered: 1, lastEventAt: '2026-11-28T09:58:00.000Z' },
        { origin: 'exchange', bucket: '2026-11-28T10:10:00.000Z', records: 2, deadLettered: 0 },
      ]);
      await store.upsertStreamCounts('w1', [{ origin: 'entra', bucket: '2026-11-28T10:00:00.000Z', records: 7, deadLettered: 1, lastEventAt: '2026-11-28T09:59:00.000Z' }]);
      await store.upsertStreamCounts('w2', [{ origin: 'entra', bucket: '2026-11-28T10:00:00.000Z', records: 3, deadLettered: 0 }]);
      const sorted = (counts: readonly { origin: string; records: number }[]) => counts.map((count) => `${count.origin}:${count.records}`).sort();
      assert.deepEqual(sorted(await store.listStreamCounts('2026-11-28T10:00:00.000Z')), ['entra:3', 'entra:7', 'exchange:2']);
      assert.deepEqual(sorted(await store.listStreamCounts('2026-11-28T10:10:00.000Z')), ['exchange:2']);
      assert.deepEqual((await store.listStreamCounts('2026-11-28T10:00:00.000Z')).find((count) => count.records === 7), {
        origin: 'entra',
        bucket: '2026-11-28T10:00:00.000Z',
        records: 7,
        deadLettered: 1,
        lastEventAt: '2026-11-28T09:59:00.000Z',
      });
      assert.equal(await store.deleteStreamCountsBefore('2026-11-28T10:10:00.000Z'), 2);
      assert.deepEqual(sorted(await store.listStreamCounts('2026-11-28T00:00:00.000Z')), ['exchange:2']);
    });

    it('keeps the audit poller\'s state per content type and the copied blobs per type, listed since a time and pruned', async () => {
      const store = await createStore();
      assert.equal(await store.getAuditFeedState('Audit.Exchange'), undefined);
      await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', subscribedAt: '2026-11-20T00:00:00.000Z' });
      await store.upsertAuditFeedState({ contentType: 'Audit.Exchange', subscribedAt: '2026-11-20T00:00:00.000Z', listedUntil: '2026-11-28T11:55:00.000Z' });
      await store.upsertAuditFeedState({ contentType: 'Audit.AzureActiveDirectory' });
      assert.deepEqual(await store.getAuditFeedState('Audit.Exchange'), { contentType: 'Audit.Exchange', subscribedAt: '2026-11-20T00:00:00.000Z', listedUntil: '2026-11-28T11:55:00.000Z' });
      const blob = (contentType: string, contentId: string, contentCreated: string) => ({ contentType, contentId, contentCreated });
      const awkward = '20261128115500123$20261128115500123$audit_exchange$Audit_Exchange$emea0021/x#y?';
      await store.upsertCopiedAuditContent([
        blob('Audit.Exchange', 'old', '2026-11-20T10:00:00.000Z'),
        blob('Audit.Exchange', awkward, '2026-11-28T11:50:00.000Z'),
        blob('Audit.AzureActiveDirectory', 'aad-1', '2026-11-28T11:50:00.000Z'),
      ]);
      await store.upsertCopiedAuditContent([blob('Audit.Exchange', awkward, '2026-11-28T11:50:00.000Z')]);
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.Exchange', '2026-11-28T00:00:00.000Z'))], [awkward]);
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.Exchange', '2026-11-01T00:00:00.000Z'))].sort(), [awkward, 'old'].sort());
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.AzureActiveDirectory', '2026-11-28T00:00:00.000Z'))], ['aad-1']);
      assert.equal(await store.deleteCopiedAuditContentBefore('2026-11-21T00:00:00.000Z'), 1);
      assert.deepEqual([...(await store.listCopiedAuditContent('Audit.Exchange', '2026-11-01T00:00:00.000Z'))], [awkward]);
      assert.ok((await store.getAuditFeedState('Audit.AzureActiveDirectory')) !== undefined, 'pruning blobs leaves the state');
    });

    it('keeps Event Hubs partition ownership (claimed under ETags) and checkpoints per hub and consumer group', async () => {
      const store = await createStore();
      const scope = { namespace: 'lure-ns.servicebus.windows.net', hub: 'entra', consumerGroup: 'lure' };
      const other = { ...scope, consumerGroup: 'siem' };
      const owner = (partitionId: string, ownerId: string) => ({ ...scope, partitionId, ownerId, lastModifiedTimeInMs: 1 });
      const etag = await store.claimHubOwnership(owner('0', 'a'), undefined);
      await assert.rejects(store.claimHubOwnership(owner('0', 'b'), undefined), ConcurrencyError, 'a second first claim loses');
      const stolen = await store.claimHubOwnership(owner('0', 'b'), etag);
      await assert.rejects(store.claimHubOwnership(owner('0', 'a'), etag), ConcurrencyError, 'a claim at a stale ETag loses');
      await store.claimHubOwnership({ ...other, partitionId: '0', ownerId: 'c', lastModifiedTimeInMs: 1 }, undefined);
      const owned = await store.listHubOwnerships(scope);
      assert.deepEqual(owned.map(({ value }) => [value.partitionId, value.ownerId]), [['0', 'b']]);
      assert.equal(owned[0]!.etag, stolen);

      await store.upsertHubCheckpoint({ ...scope, partitionId: '0', sequenceNumber: 41, offset: '4096' });
      await store.upsertHubCheckpoint({ ...scope, partitionId: '0', sequenceNumber: 42, offset: '8192' });
      await store.upsertHubCheckpoint({ ...scope, partitionId: '1', sequenceNumber: 7, offset: '512' });
      assert.deepEqual((await store.listHubCheckpoints(scope)).sort((a, b) => a.partitionId.localeCompare(b.partitionId)), [
        { ...scope, partitionId: '0', sequenceNumber: 42, offset: '8192' },
        { ...scope, partitionId: '1', sequenceNumber: 7, offset: '512' },
      ]);
      assert.deepEqual(await store.listHubCheckpoints(other), []);
    });

    it('prunes alerts by when their evidence began, and incidents (with their actor keys) by their latest alert', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('old', { occurredAt: '2025-01-01T00:00:00.000Z' }));
      await store.createAlert(storedAlert('new', { occurredAt: '2026-11-01T00:00:00.000Z' }));
      const incident = (id: string, lastOccurredAt: string) => ({
        id,
        severity: 'high' as const,
        title: 't',
        firstOccurredAt: lastOccurredAt,
        lastOccurredAt,
        createdAt: lastOccurredAt,
        updatedAt: lastOccurredAt,
        alertIds: ['a'],
        detections: ['decoy.user.signIn'],
        actorKeys: [`ip:${id}`],
        highestAlertSeverity: 'high' as const,
        status: 'open' as const,
      });
      for (const item of [incident('inc-old', '2025-01-01T00:00:00.000Z'), incident('inc-new', '2026-11-01T00:00:00.000Z')]) {
        await store.createIncident(item);
        await store.upsertIncidentActorKeys(item);
      }
      assert.equal(await store.deleteAlertsBefore('2026-01-01T00:00:00.000Z'), 1);
      assert.deepEqual((await all(store.listAlerts())).map((stored) => stored.alert.id), ['new']);
      assert.equal(await store.deleteIncidentsBefore('2026-01-01T00:00:00.000Z'), 1);
      assert.deepEqual((await all(store.listIncidents())).map((item) => item.id), ['inc-new']);
      assert.deepEqual(await store.findIncidentsByActorKeys(['ip:inc-old', 'ip:inc-new'], '2000-01-01T00:00:00.000Z'), ['inc-new']);
    });

    it('stores and finds alerts whose ids hold characters Table keys forbid', async () => {
      const store = await createStore();
      for (const id of AWKWARD_IDS) await store.createAlert(storedAlert(id));
      for (const id of AWKWARD_IDS) {
        const read = await store.getAlert(id);
        assert.deepEqual(read?.value, storedAlert(id), `alert ${JSON.stringify(id.slice(0, 20))}`);
      }
      assert.deepEqual((await all(store.listAlerts())).map((stored) => stored.alert.id).sort(), [...AWKWARD_IDS].sort());
      assert.equal(await store.getAlert('missing'), undefined);
    });

    it('refuses to create an alert twice', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('dup'));
      await assert.rejects(store.createAlert(storedAlert('dup', { count: 2 })), ConcurrencyError);
      assert.equal((await store.getAlert('dup'))?.value.alert.count, 1);
    });

    it('updates an alert only at the ETag it was read at', async () => {
      const store = await createStore();
      await store.createAlert(storedAlert('race'));
      const first = await store.getAlert('race');
      const second = await store.getAlert('race');
      assert.ok(first !== undefined && second !== undefined);
      await store.updateAlert(storedAlert('race', { count: 2 }), first.etag);
      await assert.rejects(store.updateAlert(storedAlert('race', { count: 3 }), second.etag), ConcurrencyError);
      const latest = await store.getAlert('race');
      assert.equal(latest?.value.alert.count, 2);
      assert.notEqual(latest?.etag, first.etag);
      await assert.rejects(store.updateAlert(storedAlert('absent'), first.etag), ConcurrencyError);
    });

    it('keeps large alerts whole (documents beyond one Table property)', async () => {
      const store = await createStore();
      const evidence = Array.from({ length: 20 }, (_, index) => ({ source: 'exchange' as const, type: 'MailItemsAccessed', id: `${index}-${'z'.repeat(500)}`, time: '2026-11-02T09:40:12.000Z' }));
      const big: StoredAlert = { ...storedAlert('big', { evidence, count: 5000, summary: 's'.repeat(40_000) }), evidenceKeys: Array.from({ length: 5000 }, (_, index) => `k${String(index).padStart(11, '0')}`) };
      await store.createAlert(big);
      assert.deepEqual((await store.getAlert('big'))?.value, big);
    });

    it('upserts dead letters idempotently, whatever their ids hold', async () => {
      const store = await createStore();
      const letters = [...AWKWARD_IDS.map((id) => deadLetter(id)), deadLetter('next-day', '2026-11-29T00:00:01.000Z')];
      await store.upsertDeadLetters(letters);
      await store.upsertDeadLetters(letters);
      const stored = await all(store.listDeadLetters());
      assert.equal(stored.length, letters.length);
      assert.deepEqual(stored.sort((a, b) => a.id.localeCompare(b.id)), [...letters].sort((a, b) => a.id.localeCompare(b.id)));
    });

    it('indexes token issuances by hour and finds them around their issue time, case-sensitively', async () => {
      const store = await createStore();
      const inOneHour = Array.from({ length: 150 }, (_, index) => issuance(`uti${index}AAAAAAAAAAAAAAAA`, `2026-11-02T08:${String(index % 60).padStart(2, '0')}:00.000Z`));
      await store.upsertTokenIssuances([...inOneHour, issuance('a/b+c==', '2026-11-02T09:05:00.000Z'), issuance('CaseToken', '2026-11-02T10:00:00.000Z')]);
      const around = (uti: string, iat: string) => issuanceLookupOf({ uti, issuedAt: iat, usedAt: iat }, 28);
      const found = await store.findTokenIssuances([
        around('uti7AAAAAAAAAAAAAAAA', '2026-11-02T08:07:00.000Z'),
        around('uti149AAAAAAAAAAAAAAAA', '2026-11-02T08:55:00.000Z'),
        around('a/b+c==', '2026-11-02T09:50:00.000Z'),
        around('a/b+c==', '2026-11-02T08:58:00.000Z'),
        around('casetoken', '2026-11-02T10:00:00.000Z'),
        around('uti3AAAAAAAAAAAAAAAA', '2026-11-03T08:03:00.000Z'),
        around('never-issued', '2026-11-02T08:30:00.000Z'),
        // No issue time: looked for over the longest token lifetime before the use.
        issuanceLookupOf({ uti: 'CaseToken', usedAt: '2026-11-03T12:00:00.000Z' }, 28),
      ]);
      assert.deepEqual([...found].sort(), ['CaseToken', 'a/b+c==', 'uti149AAAAAAAAAAAAAAAA', 'uti7AAAAAAAAAAAAAAAA']);
      assert.equal(await store.deleteTokenIssuancesBefore('2026-11-02T09:30:00.000Z'), 150);
      assert.deepEqual(
        [...(await store.findTokenIssuances([around('uti7AAAAAAAAAAAAAAAA', '2026-11-02T08:07:00.000Z'), around('a/b+c==', '2026-11-02T09:05:00.000Z')]))],
        ['a/b+c=='],
      );
    });

    it('moves sign-in progress forward only, keeping the first event time', async () => {
      const store = await createStore();
      const tenantId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
      await store.advanceSignInProgress([{ tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T08:00:00.000Z', watermark: '2026-11-02T08:30:00.000Z' }]);
      await store.advanceSignInProgress([
        { tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T07:00:00.000Z', watermark: '2026-11-02T08:10:00.000Z' },
        { tenantId, category: 'NonInteractiveUserSignInLogs', firstEventTime: '2026-11-02T08:05:00.000Z', watermark: '2026-11-02T08:06:00.000Z' },
      ]);
      await store.advanceSignInProgress([{ tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T09:00:00.000Z', watermark: '2026-11-02T09:45:00.000Z' }]);
      const progress = (await store.listSignInProgress()).sort((a, b) => a.category.localeCompare(b.category));
      assert.deepEqual(progress, [
        { tenantId, category: 'NonInteractiveUserSignInLogs', firstEventTime: '2026-11-02T08:05:00.000Z', watermark: '2026-11-02T08:06:00.000Z' },
        { tenantId, category: 'SignInLogs', firstEventTime: '2026-11-02T08:00:00.000Z', watermark: '2026-11-02T09:45:00.000Z' },
      ]);
    });

    it('keeps pending token checks until deleted, one per token and record, listed by due time', async () => {
      const store = await createStore();
      const early = pendingCheck('tokA/+', '2026-11-02T10:00:00.000Z');
      const sameTokenOtherRecord = pendingCheck('tokA/+', '2026-11-02T10:00:00.000Z', 'r-other');
      const late = pendingCheck('tokB', '2026-11-02T12:00:00.000Z');
      await store.upsertPendingTokenChecks([early, sameTokenOtherRecord, late]);
      await store.upsertPendingTokenChecks([early]);
      const due = await all(store.listPendingTokenChecks('2026-11-02T10:00:00.000Z'));
      assert.deepEqual(due.map((check) => check.evidence.id).sort(), ['r-other', 'r-tokA/+']);
      assert.deepEqual(due.find((check) => check.evidence.id === 'r-other'), sameTokenOtherRecord);
      assert.equal((await all(store.listPendingTokenChecks('2026-11-02T13:00:00.000Z'))).length, 3);
      await store.deletePendingTokenChecks([early, late, pendingCheck('never-stored', '2026-11-02T11:00:00.000Z')]);
      assert.deepEqual((await all(store.listPendingTokenChecks('2026-11-03T00:00:00.000Z'))).map((check) => check.evidence.id), ['r-other']);
    });

    it('sums every writer\'s match counts per source and app, each writer replacing its own', async () => {
      const store = await createStore();
      const app = 'de8bc8b5-d9f9-48b1-a8ad-b748da725064';
      await store.upsertTokenMatchCounts('writer-1', [{ source: 'exchange', appId: app, matched: 5, unmatched: 1 }], '2026-11-01T00:00:00.000Z');
      await store.upsertTokenMatchCounts('writer-1', [{ source: 'exchange', appId: app, matched: 8, unmatched: 2 }], '2026-11-20T00:00:00.000Z');
      await store.upsertTokenMatchCounts(
        'writer-2',
        [
          { source: 'exchange', appId: app, matched: 1, unmatched: 0 },
          { source: 'graph', appId: app, matched: 3, unmatched: 0 },
        ],
        '2026-10-01T00:00:00.000Z',
      );
      assert.deepEqual(await store.listTokenMatchCounts(), [
        { source: 'exchange', appId: app, matched: 9, unmatched: 2 },
        { source: 'graph', appId: app, matched: 3, unmatched: 0 },
      ]);
      assert.equal(await store.deleteTokenMatchCountsBefore('2026-11-01T00:00:00.000Z'), 2, "writer-2's rows are stale");
      assert.deepEqual(await store.listTokenMatchCounts(), [{ source: 'exchange', appId: app, matched: 8, unmatched: 2 }]);
    });

    it('keeps the signing-key history by kid and the last fetch of each key set', async () => {
      const store = await createStore();
      const key = { kid: 'a/b+c', x5t: 'a/b+c', set: 'organization' as const, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-02T00:00:00.000Z' };
      const consumer = { kid: 'msa1', set: 'consumer' as const, certificateNotAfter: '2021-04-04T14:43:35.000Z' };
      await store.upsertSigningKeys([key, consumer]);
      await store.upsertSigningKeys([{ ...key, lastSeen: '2026-11-03T00:00:00.000Z' }]);
      assert.deepEqual((await store.listSigningKeys()).sort((a, b) => a.kid.localeCompare(b.kid)), [{ ...key, lastSeen: '2026-11-03T00:00:00.000Z' }, consumer]);
      await store.upsertKeySetFetches([{ set: 'organization', fetchedAt: '2026-11-03T00:00:00.000Z' }, { set: 'app:3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', fetchedAt: '2026-11-03T00:00:00.000Z' }]);
      await store.upsertKeySetFetches([{ set: 'organization', fetchedAt: '2026-11-03T01:00:00.000Z' }]);
      assert.deepEqual((await store.listKeySetFetches()).sort((a, b) => a.set.localeCompare(b.set)), [
        { set: 'app:3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', fetchedAt: '2026-11-03T00:00:00.000Z' },
        { set: 'organization', fetchedAt: '2026-11-03T01:00:00.000Z' },
      ]);
    });

    it('keeps one mail baseline per mailbox, created once, updated at its ETag', async () => {
      const store = await createStore();
      const baseline = { mailbox: 'finance/archive#1@contoso.example', firstSeen: '2026-11-01T00:00:00.000Z', pairs: { '00000003-0000-0000-c000-000000000000|': '2026-11-01T00:00:00.000Z' } };
      const created = await store.createMailBaseline(baseline);
      await assert.rejects(store.createMailBaseline(baseline), ConcurrencyError);
      const read = await store.getMailBaseline(baseline.mailbox);
      assert.deepEqual(read?.value, baseline);
      assert.equal(read?.etag, created, 'create returns the ETag a read then sees');
      const grown = { ...baseline, pairs: { ...baseline.pairs, 'a|b': '2026-11-20T00:00:00.000Z' } };
      const updated = await store.updateMailBaseline(grown, read!.etag);
      assert.equal((await store.getMailBaseline(baseline.mailbox))?.etag, updated);
      await assert.rejects(store.updateMailBaseline(baseline, read!.etag), ConcurrencyError);
      assert.deepEqual((await store.getMailBaseline(baseline.mailbox))?.value, grown);
      assert.equal(await store.getMailBaseline('nobody@contoso.example'), undefined);
    });

    it('merges stream arrivals and silence marks without clobbering either', async () => {
      const store = await createStore();
      await store.recordStreamArrivals([
        { stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-11-28T10:00:00.000Z' },
        { stream: 'category:SignInLogs', source: 'entra', lastArrivalAt: '2026-11-28T10:00:00.000Z' },
      ]);
      await store.setStreamSilence('source:entra', 'alert-1');
      await store.recordStreamArrivals([{ stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-11-28T11:00:00.000Z', lastEventAt: '2026-11-28T10:58:00.000Z' }]);
      const byName = new Map((await store.listStreams()).map((stream) => [stream.stream, stream]));
      assert.deepEqual(byName.get('source:entra'), { stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-11-28T11:00:00.000Z', lastEventAt: '2026-11-28T10:58:00.000Z', silentAlertId: 'alert-1' });
      await store.setStreamSilence('source:entra', undefined);
      assert.deepEqual((await store.listStreams()).find((stream) => stream.stream === 'source:entra'), {
        stream: 'source:entra',
        source: 'entra',
        lastArrivalAt: '2026-11-28T11:00:00.000Z',
        lastEventAt: '2026-11-28T10:58:00.000Z',
      });
      assert.equal((await store.listStreams()).length, 2);
    });

    it('deletes dead letters of days before a boundary', async () => {
      const store = await createStore();
      await store.upsertDeadLetters([deadLetter('old', '2026-10-01T23:59:59.000Z'), deadLetter('boundary', '2026-10-02T00:00:00.000Z'), deadLetter('new', '2026-11-28T12:00:00.000Z')]);
      assert.equal(await store.deleteDeadLettersBefore('2026-10-02T12:00:00.000Z'), 1);
      assert.deepEqual((await all(store.listDeadLetters())).map((letter) => letter.id).sort(), ['boundary', 'new']);
    });

    it('writes more than one transaction of dead letters (over 100 in a partition)', async () => {
      const store = await createStore();
      const letters = Array.from({ length: 250 }, (_, index) => deadLetter(`bulk-${index}`));
      await store.upsertDeadLetters([...letters, letters[0]!]);
      assert.equal((await all(store.listDeadLetters())).length, 250);
    });

    it('keeps decoy lifecycles by decoy id, replacing and deleting them', async () => {
      const store = await createStore();
      const lifecycle = (decoyId: string, keyIds: string[]): DecoyLifecycle => ({
        decoyId,
        kind: 'application',
        createdByLure: true,
        generations: keyIds.map((keyId) => ({ kind: 'clientSecret', keyId, journalId: 'j000000001', createdAt: '2026-11-28T12:00:00.000Z', fingerprint: 'sha256:ab', hint: 'Q1w' })),
        placements: [{ kind: 'manual', description: 'ops wiki page' }],
        nextRotationAt: '2026-12-28T12:00:00.000Z',
      });
      for (const id of AWKWARD_IDS) await store.upsertDecoyLifecycle(lifecycle(id, ['k1']));
      await store.upsertDecoyLifecycle(lifecycle('a/b', ['k1', 'k2']));
      assert.deepEqual(await store.getDecoyLifecycle('a/b'), lifecycle('a/b', ['k1', 'k2']));
      assert.equal((await store.listDecoyLifecycles()).length, AWKWARD_IDS.length);
      await store.deleteDecoyLifecycle('a/b');
      await store.deleteDecoyLifecycle('a/b');
      assert.equal(await store.getDecoyLifecycle('a/b'), undefined);
      assert.equal(await store.getDecoyLifecycle('never'), undefined);
    });

    it('keeps journal entries by id: unfinished ones are always listed, finished ones only if recent; old finished ones are pruned', async () => {
      const store = await createStore();
      const entry = (id: string, step: JournalEntry['step'], updatedAt: string): JournalEntry => ({
        id,
        decoyId: 'd-app-1',
        kind: 'application',
        operation: 'rotate',
        step,
        startedAt: '2026-10-01T00:00:00.000Z',
        updatedAt,
        secretTo: 'placements',
        placementDecoyIds: [],
      });
      await store.createJournalEntry(entry('stuck00001', 'intent', '2026-10-01T00:00:00.000Z'));
      await store.createJournalEntry(entry('old0000001', 'finished', '2026-10-01T00:00:00.000Z'));
      const etag = await store.createJournalEntry(entry('recent0001', 'cloudDone', '2026-11-28T11:00:00.000Z'));
      await assert.rejects(store.createJournalEntry(entry('recent0001', 'intent', '2026-11-28T11:00:00.000Z')), ConcurrencyError);
      const next = await store.updateJournalEntry(entry('recent0001', 'finished', '2026-11-28T11:30:00.000Z'), etag);
      await assert.rejects(store.updateJournalEntry(entry('recent0001', 'intent', '2026-11-28T11:40:00.000Z'), etag), ConcurrencyError, 'a run that was taken over cannot write');
      assert.equal((await store.getJournalEntry('recent0001'))?.etag, next);
      assert.deepEqual((await store.listJournalEntries('2026-11-28T00:00:00.000Z')).map((listed) => listed.id).sort(), ['recent0001', 'stuck00001']);
      assert.equal((await store.getJournalEntry('recent0001'))?.value.step, 'finished');
      assert.equal(await store.deleteJournalEntriesBefore('2026-11-01T00:00:00.000Z'), 1, 'only the old finished entry');
      assert.equal(await store.getJournalEntry('old0000001'), undefined);
      assert.equal((await store.getJournalEntry('stuck00001'))?.value.step, 'intent', 'an unfinished entry is never pruned');
    });

    it('keeps outbox entries: created once, updated under ETags, listed when due, pruned when complete', async () => {
      const store = await createStore();
      const entry = (id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
        id,
        channel: 'teams',
        notification: { kind: 'incident', incidentId: id.split('|')[2] ?? 'x' },
        severity: 'high',
        title: 'Sign-in as decoy user',
        status: 'pending',
        createdAt: '2026-11-28T12:00:00.000Z',
        attempts: 0,
        nextAttemptAt: '2026-11-28T12:00:00.000Z',
        ...overrides,
      });
      assert.equal(await store.createOutboxEntry(entry('teams|incident|a/b#1')), true);
      assert.equal(await store.createOutboxEntry(entry('teams|incident|a/b#1', { attempts: 9 })), false, 'enqueuing twice is one entry');
      await store.createOutboxEntry(entry('webhook|alert|later', { channel: 'webhook', notification: { kind: 'alert', alertId: 'later' }, nextAttemptAt: '2026-11-28T13:00:00.000Z' }));
      await store.createOutboxEntry(entry('email|incident|done', { channel: 'email', status: 'delivered', completedAt: '2026-10-01T00:00:00.000Z' }));
      const due = await store.listDueOutboxEntries('2026-11-28T12:30:00.000Z');
      assert.deepEqual(due.map(({ value }) => value.id), ['teams|incident|a/b#1']);
      const etag = await store.updateOutboxEntry({ ...due[0]!.value, attempts: 1, status: 'delivered', completedAt: '2026-11-28T12:01:00.000Z' }, due[0]!.etag);
      await assert.rejects(store.updateOutboxEntry({ ...due[0]!.value, attempts: 2 }, due[0]!.etag), ConcurrencyError, 'a second sender loses its claim');
      assert.equal((await store.getOutboxEntry('teams|incident|a/b#1'))?.etag, etag);
      assert.equal((await store.getOutboxEntry('teams|incident|a/b#1'))?.value.attempts, 1);
      assert.deepEqual(await store.listDueOutboxEntries('2026-11-28T12:30:00.000Z'), []);
      assert.equal(await store.deleteOutboxEntriesBefore('2026-11-01T00:00:00.000Z'), 1, 'only the long-completed entry');
      assert.equal((await all(store.listOutboxEntries())).length, 2);
    });
  });
}
