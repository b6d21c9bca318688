import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastHourSince, statusReportOf } from '../../../../src/app/admin/statusReport.js';
import { emptyLateness, withLateness } from '../../../../src/correlation/lateness.js';

describe('statusReportOf', () => {
  const now = new Date('2026-11-28T12:35:00.000Z');

  it("sums every instance's counts of the last hour per origin, and nothing older", () => {
    assert.equal(lastHourSince(now), '2026-11-28T11:40:00.000Z');
    const report = statusReportOf({
      now,
      streams: [],
      expected: [],
      channels: [],
      keySetFetches: [],
      auditFeedStates: [],
      counts: [
        { origin: 'entra', bucket: '2026-11-28T11:30:00.000Z', records: 1000, deadLettered: 9 },
        { origin: 'entra', bucket: '2026-11-28T11:40:00.000Z', records: 5, deadLettered: 1, lastEventAt: '2026-11-28T11:41:00.000Z' },
        { origin: 'entra', bucket: '2026-11-28T12:30:00.000Z', records: 7, deadLettered: 0, lastEventAt: '2026-11-28T12:31:00.000Z' },
        { origin: 'exchange', bucket: '2026-11-28T12:00:00.000Z', records: 3, deadLettered: 2 },
      ],
    });
    assert.deepEqual(report.lastHour, [
      { origin: 'entra', records: 12, deadLettered: 1, lastEventAt: '2026-11-28T12:31:00.000Z' },
      { origin: 'exchange', records: 3, deadLettered: 2 },
    ]);
  });

  it("merges every instance's lateness per tenant and stream, over the last day and the last week of arrival", () => {
    const tenantId = '5b2d7c1e-3f4a-4b6c-9d8e-1f2a3b4c5d6e';
    const rows = [
      { hour: '2026-11-22T09:00:00.000Z', category: 'SignInLogs', seconds: [0, 5400] },
      { hour: '2026-11-28T10:00:00.000Z', category: 'SignInLogs', seconds: [0, 0, 30] },
      { hour: '2026-11-28T12:00:00.000Z', category: 'SignInLogs', seconds: [60] },
      { hour: '2026-11-28T12:00:00.000Z', category: 'partition:0', seconds: [2] },
    ].map(({ hour, category, seconds }) => ({ tenantId, hour, category: category as 'SignInLogs', histogram: withLateness(emptyLateness(), seconds) }));
    const report = statusReportOf({ now, streams: [], expected: [], channels: [], keySetFetches: [], auditFeedStates: [], counts: [], signInLateness: rows });
    assert.deepEqual(
      report.signInLateness.map(({ stream, last24Hours, last7Days }) => [
        stream,
        last24Hours.records,
        last24Hours.maxInSeconds,
        last7Days.records,
        last7Days.maxInSeconds,
      ]),
      [
        ['partition:0', 1, 2, 1, 2],
        ['SignInLogs', 4, 60, 6, 5400],
      ],
    );
    const signIns = report.signInLateness.find((entry) => entry.stream === 'SignInLogs');
    assert.equal(signIns?.last24Hours.p50InSeconds, 0, 'half arrived on time');
    assert.equal(signIns.last7Days.p999InSeconds, 5400, 'the week remembers the straggler');
  });

  it('gives each stream its lag and silence, and each key set its age', () => {
    const report = statusReportOf({
      now,
      streams: [
        {
          stream: 'source:exchange',
          source: 'exchange',
          lastArrivalAt: '2026-11-28T12:30:00.000Z',
          lastEventAt: '2026-11-28T11:00:00.000Z',
          silentAlertId: 'a1',
        },
        { stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-11-28T12:34:00.000Z' },
        // Marked expected by the deployment's timer, though this process was told nothing (lure status on a laptop).
        { stream: 'category:AuditLogs', source: 'entra', expectedSince: '2026-11-27T12:00:00.000Z', silentAlertId: 'a2' },
      ],
      expected: ['source:token', 'source:entra'],
      counts: [],
      channels: [],
      keySetFetches: [
        { set: 'organization', fetchedAt: '2026-11-28T12:00:00.000Z' },
        { set: 'consumer', fetchedAt: '2026-11-28T09:00:00.000Z' },
      ],
      auditFeedStates: [],
    });
    const tokenCause = 'the API Management policy infra/apim/token-observation-policy.xml is on no API, or its logger cannot send to the token hub';
    assert.deepEqual(report.sources, [
      {
        stream: 'category:AuditLogs',
        expected: true,
        delivered: false,
        expectedSince: '2026-11-27T12:00:00.000Z',
        silent: true,
        likelyCause:
          'the tenant diagnostic setting does not stream AuditLogs, or cannot write to the entra hub (its authorization rule, or local authentication off on the namespace)',
      },
      { stream: 'source:entra', expected: true, delivered: true, lastArrivalAt: '2026-11-28T12:34:00.000Z', silent: false },
      {
        stream: 'source:exchange',
        expected: false,
        delivered: true,
        lastArrivalAt: '2026-11-28T12:30:00.000Z',
        lastEventAt: '2026-11-28T11:00:00.000Z',
        lagInSeconds: 5400,
        silent: true,
      },
      // Expected, and not yet marked by the silence timer: reported all the same.
      { stream: 'source:token', expected: true, delivered: false, silent: false, likelyCause: tokenCause },
    ]);
    assert.deepEqual(report.neverDelivered, ['AuditLogs', 'token']);
    assert.deepEqual(report.keySets, [
      { set: 'consumer', fetchedAt: '2026-11-28T09:00:00.000Z', ageInMinutes: 215, stale: true },
      { set: 'organization', fetchedAt: '2026-11-28T12:00:00.000Z', ageInMinutes: 35, stale: false },
    ]);
  });

  it('lists the audit subscriptions by content type, a disabled one with since when and what the API said, and nothing of the poller internals', () => {
    const disabled = { since: '2026-11-28T12:00:00.000Z', detail: 'AF20023: The subscription was disabled by a tenant admin.' };
    const report = statusReportOf({
      now,
      streams: [],
      expected: [],
      counts: [],
      channels: [],
      keySetFetches: [],
      auditFeedStates: [
        {
          contentType: 'Audit.Exchange',
          subscribedAt: '2026-11-20T00:00:00.000Z',
          startRequestedAt: '2026-11-20T00:00:00.000Z',
          disabled,
          silentAlertId: 'a1',
        },
        { contentType: 'Audit.AzureActiveDirectory', subscribedAt: '2026-11-20T00:00:00.000Z', listedUntil: '2026-11-28T12:30:00.000Z' },
        { contentType: 'Audit.General' },
      ],
    });
    assert.deepEqual(report.auditSubscriptions, [
      { contentType: 'Audit.AzureActiveDirectory', subscribedAt: '2026-11-20T00:00:00.000Z', listedUntil: '2026-11-28T12:30:00.000Z' },
      { contentType: 'Audit.Exchange', subscribedAt: '2026-11-20T00:00:00.000Z', disabled },
      { contentType: 'Audit.General' },
    ]);
  });
});
