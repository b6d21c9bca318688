import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorKeyOf, alertIdOf, bucketStartOf, dedupeKeyOf, evidenceKeyOf } from '../../../src/correlation/dedupeKey.js';
import { finding } from '../../helpers/alerts.js';

describe('dedupe keys', () => {
  it('puts event times into fixed buckets, not windows that start at the first hit', () => {
    assert.equal(bucketStartOf('2026-11-02T08:59:59.999Z', 60), '2026-11-02T08:00:00.000Z');
    assert.equal(bucketStartOf('2026-11-02T09:00:00.000Z', 60), '2026-11-02T09:00:00.000Z');
    assert.equal(bucketStartOf('2026-11-02T09:14:00.000Z', 15), '2026-11-02T09:00:00.000Z');
    assert.equal(bucketStartOf('2026-11-02T09:15:00.000Z', 15), '2026-11-02T09:15:00.000Z');
  });

  it('gives the same key to hits of one actor on one decoy within a bucket, another key across buckets', () => {
    const first = dedupeKeyOf(finding({ id: 'a', time: '2026-11-02T08:01:00.000Z' }), 60);
    const second = dedupeKeyOf(finding({ id: 'b', time: '2026-11-02T08:59:00.000Z' }), 60);
    const nextHour = dedupeKeyOf(finding({ id: 'c', time: '2026-11-02T09:00:00.000Z' }), 60);
    assert.equal(first, second);
    assert.notEqual(first, nextHour);
  });

  it('separates actors by address and principal, ignoring principal case', () => {
    assert.notEqual(actorKeyOf({ userId: 'u', ipAddress: '1.1.1.1' }), actorKeyOf({ userId: 'u', ipAddress: '2.2.2.2' }));
    assert.notEqual(actorKeyOf({ userId: 'u', ipAddress: '1.1.1.1' }), actorKeyOf({ userId: 'v', ipAddress: '1.1.1.1' }));
    assert.equal(actorKeyOf({ userPrincipalName: 'Svc@Contoso.example' }), actorKeyOf({ userPrincipalName: 'svc@contoso.example' }));
  });

  it('keeps suppressed hits (disabled decoy) apart from live ones', () => {
    const live = dedupeKeyOf(finding({ id: 'a', time: '2026-11-02T08:01:00.000Z' }), 60);
    const suppressed = dedupeKeyOf(finding({ id: 'a', time: '2026-11-02T08:01:00.000Z', suppressed: true }), 60);
    assert.notEqual(live, suppressed);
  });

  it('derives a stable 128-bit hex alert id and a short evidence fingerprint', () => {
    const key = 'decoy.user.signIn|d-user-1|@203.0.113.45|2026-11-02T08:00:00.000Z|live';
    assert.match(alertIdOf(key), /^[0-9a-f]{32}$/);
    assert.equal(alertIdOf(key), alertIdOf(key));
    assert.notEqual(alertIdOf(key), alertIdOf(`${key}x`));
    const evidence = { source: 'entra' as const, type: 'SignInLogs', id: 'e1', time: '2026-11-02T08:01:00.000Z' };
    assert.match(evidenceKeyOf(evidence), /^[A-Za-z0-9_-]{12}$/);
    assert.notEqual(evidenceKeyOf(evidence), evidenceKeyOf({ ...evidence, type: 'NonInteractiveUserSignInLogs' }));
    // The poller and Defender streaming deliver the same Exchange record: one piece of evidence.
    const exchange = { source: 'exchange' as const, type: 'MailItemsAccessed', id: 'a1', time: '2026-11-02T09:40:12.000Z' };
    assert.equal(evidenceKeyOf(exchange), evidenceKeyOf({ ...exchange, source: 'defender' }));
  });
});
