import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverageOf, dueTimeOf, tokenIssuanceOf, tokenUseOf, verdictOf } from '../../../src/correlation/tokenIssuance.js';
import type { SignInProgress } from '../../../src/domain/tokens.js';
import { normalizeRecord } from '../../../src/normalize/normalizeRecord.js';
import { expectMappedEvent } from '../../helpers/outcomes.js';
import { graphRecord, mailItemsAccessedRecord, signInRecord, TENANT } from '../../helpers/records.js';

const GATING = new Set(['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'] as const);

function progress(category: SignInProgress['category'], firstEventTime: string, watermark: string): SignInProgress {
  return { tenantId: TENANT, category, firstEventTime, watermark };
}

describe('coverageOf', () => {
  it('starts when the last gating stream started and stands where the least advanced one stands', () => {
    assert.deepEqual(
      coverageOf(
        [
          progress('SignInLogs', '2026-11-02T08:00:00.000Z', '2026-11-02T12:00:00.000Z'),
          progress('NonInteractiveUserSignInLogs', '2026-11-02T08:30:00.000Z', '2026-11-02T11:00:00.000Z'),
          // Not gating: sparse streams must not hold judgements back.
          progress('ManagedIdentitySignInLogs', '2026-11-02T09:00:00.000Z', '2026-11-02T08:45:00.000Z'),
        ],
        GATING,
      ),
      { coverageStart: '2026-11-02T08:30:00.000Z', watermark: '2026-11-02T11:00:00.000Z' },
    );
  });

  it('is uncoverable for tokens whose issuing category never delivered, and starts with the issuing categories', () => {
    const userOnly = [
      progress('SignInLogs', '2026-11-02T08:00:00.000Z', '2026-11-02T12:00:00.000Z'),
      progress('NonInteractiveUserSignInLogs', '2026-11-02T08:30:00.000Z', '2026-11-02T11:00:00.000Z'),
    ];
    assert.equal(coverageOf(userOnly, GATING, ['ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs']), 'uncoverable');
    const withApps = [
      ...userOnly,
      progress('ServicePrincipalSignInLogs', '2026-11-02T08:10:00.000Z', '2026-11-02T12:00:00.000Z'),
      progress('ManagedIdentitySignInLogs', '2026-11-02T09:00:00.000Z', '2026-11-02T09:05:00.000Z'),
    ];
    assert.deepEqual(coverageOf(withApps, GATING, ['ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs']), {
      coverageStart: '2026-11-02T09:00:00.000Z',
      watermark: '2026-11-02T11:00:00.000Z',
    });
    assert.equal(
      verdictOf({ issuedAt: '2026-11-02T10:00:00.000Z', usedAt: '2026-11-02T10:00:00.000Z', dueAt: '2026-11-02T12:00:00.000Z' }, 'uncoverable', {
        force: false,
        maxTokenLifetimeInHours: 28,
      }),
      'notCovered',
    );
  });

  it('holds at the least advanced hub partition', () => {
    const entries = [
      progress('SignInLogs', '2026-11-02T08:00:00.000Z', '2026-11-02T12:00:00.000Z'),
      { ...progress('SignInLogs', '2026-11-02T08:00:00.000Z', '2026-11-02T09:30:00.000Z'), category: 'partition:0' as const },
    ];
    assert.equal((coverageOf(entries, GATING) as { watermark: string }).watermark, '2026-11-02T09:30:00.000Z');
  });

  it('is undefined until a gating stream has delivered', () => {
    assert.equal(coverageOf([progress('ManagedIdentitySignInLogs', '2026-11-02T08:00:00.000Z', '2026-11-02T09:00:00.000Z')], GATING), undefined);
  });
});

describe('verdictOf', () => {
  const coverage = { coverageStart: '2026-11-02T08:00:00.000Z', watermark: '2026-11-02T11:00:00.000Z' };
  const options = { force: false, maxTokenLifetimeInHours: 28 };

  it('judges a covered check once the streams passed its due time, and waits before', () => {
    assert.equal(
      verdictOf({ issuedAt: '2026-11-02T08:50:00.000Z', usedAt: '2026-11-02T09:00:00.000Z', dueAt: '2026-11-02T10:50:00.000Z' }, coverage, options),
      'judge',
    );
    assert.equal(
      verdictOf({ issuedAt: '2026-11-02T09:10:00.000Z', usedAt: '2026-11-02T09:20:00.000Z', dueAt: '2026-11-02T11:10:00.000Z' }, coverage, options),
      'wait',
    );
  });

  it('never judges tokens that may predate the index, even when forced', () => {
    const early = { issuedAt: '2026-11-02T07:59:59.000Z', usedAt: '2026-11-02T08:10:00.000Z', dueAt: '2026-11-02T09:59:59.000Z' };
    assert.equal(verdictOf(early, coverage, options), 'notCovered');
    assert.equal(verdictOf(early, coverage, { ...options, force: true }), 'notCovered');
    const noIssueTime = { usedAt: '2026-11-03T11:59:00.000Z', dueAt: '2026-11-03T13:59:00.000Z' };
    assert.equal(verdictOf(noIssueTime, coverage, { ...options, force: true }), 'notCovered');
    assert.equal(verdictOf({ usedAt: '2026-11-03T12:00:00.000Z', dueAt: '2026-11-03T14:00:00.000Z' }, coverage, { ...options, force: true }), 'judge');
  });

  it('waits for a tenant with no gating stream yet, and drops it unjudged when forced', () => {
    const check = { issuedAt: '2026-11-02T08:50:00.000Z', usedAt: '2026-11-02T09:00:00.000Z', dueAt: '2026-11-02T10:50:00.000Z' };
    assert.equal(verdictOf(check, undefined, options), 'wait');
    assert.equal(verdictOf(check, undefined, { ...options, force: true }), 'notCovered');
  });
});

describe('issuances and uses', () => {
  it('takes the issuance from any sign-in carrying a token id, and none from one without', () => {
    const event = expectMappedEvent(
      normalizeRecord(signInRecord({ category: 'ManagedIdentitySignInLogs', time: '2026-11-02T08:00:00.000Z', uti: 'mi-uti', appId: 'a' })),
      'signIn',
    );
    assert.deepEqual(tokenIssuanceOf(event), {
      uti: 'mi-uti',
      issuedAt: '2026-11-02T08:00:00.000Z',
      tenantId: TENANT,
      category: 'ManagedIdentitySignInLogs',
      principal: 'a',
      recordId: event.recordId,
    });
    assert.equal(tokenIssuanceOf(expectMappedEvent(normalizeRecord(signInRecord({ time: '2026-11-02T08:00:00.000Z' })), 'signIn')), undefined);
  });

  it('reads a Graph use, and whether it read mail', () => {
    const read = expectMappedEvent(
      normalizeRecord(
        graphRecord({
          time: '2026-11-02T09:00:00.000Z',
          issuedAt: '2026-11-02T08:55:00.000Z',
          uti: 'g',
          requestUri: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages',
        }),
      ),
      'graphActivity',
    );
    const use = tokenUseOf(read, { includeObservations: false });
    assert.equal(use?.source, 'graph');
    assert.equal(use.readsMail, true);
    assert.equal(use.issuedAt, '2026-11-02T08:55:00.000Z');
    const list = expectMappedEvent(normalizeRecord(graphRecord({ time: '2026-11-02T09:00:00.000Z', uti: 'g2' })), 'graphActivity');
    assert.equal(tokenUseOf(list, { includeObservations: false })?.readsMail, false);
  });

  it('reads an Exchange use with its issue time, as mail read', () => {
    const event = expectMappedEvent(
      normalizeRecord(mailItemsAccessedRecord({ time: '2026-11-02T09:00:00.000Z', issuedAt: '2026-11-02T08:50:00.000Z', uti: 'x' })),
      'mailItemsAccessed',
    );
    const use = tokenUseOf(event, { includeObservations: false });
    assert.deepEqual(
      [use?.source, use?.readsMail, use?.issuedAt, use?.resource],
      ['exchange', true, '2026-11-02T08:50:00.000Z', 'MailItemsAccessed on alice@contoso.example'],
    );
  });

  it('dates the check from the issue time, or the use time when unknown', () => {
    assert.equal(dueTimeOf({ issuedAt: '2026-11-02T08:50:00.000Z', usedAt: '2026-11-02T09:00:00.000Z' }, 120), '2026-11-02T10:50:00.000Z');
    assert.equal(dueTimeOf({ usedAt: '2026-11-02T09:00:00.000Z' }, 120), '2026-11-02T11:00:00.000Z');
  });
});
