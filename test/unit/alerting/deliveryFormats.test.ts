import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { formatEmail } from '../../../src/alerting/emailMessage.js';
import { IgnoreList } from '../../../src/alerting/ignoreList.js';
import { digestContent, incidentContent, testContent } from '../../../src/alerting/notificationContent.js';
import { ALL_DETECTIONS } from '../../../src/detections/index.js';

const runbookOf = (detection: string) => ALL_DETECTIONS.find((metadata) => metadata.id === detection)?.runbook;
import { plannedEntries } from '../../../src/alerting/notificationPlan.js';
import { ADAPTIVE_CARD_VERSION, formatTeamsMessage, TEAMS_MAX_BYTES } from '../../../src/alerting/teamsMessage.js';
import { webhookSignature } from '../../../src/alerting/webhookSignature.js';
import { assertPublic } from '../../../src/adapters/httpChannels.js';
import type { Alert, Incident } from '../../../src/domain/alerts.js';
import { alertFixture } from '../../helpers/alerts.js';

/** Microsoft's own Adaptive Cards parser (its ES modules do not load in Node; the bundled build does). */
interface AdaptiveCardsModule {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; validateProperties(): { validationEvents: { message: string }[] } };
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(index: number): { message: string } };
  Versions: Record<string, unknown>;
}
const adaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** Everything the parser and its validation object to, targeting the schema version the card declares. */
function cardProblems(message: Record<string, unknown>): string[] {
  const attachments = message.attachments as { contentType: string; content: { version: string } }[];
  assert.equal(message.type, 'message');
  assert.equal(attachments.length, 1);
  assert.equal(attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
  const card = new adaptiveCards.AdaptiveCard();
  const context = new adaptiveCards.SerializationContext(adaptiveCards.Versions[`v${attachments[0]!.content.version.replace('.', '_')}`]);
  card.parse(attachments[0]!.content, context);
  const problems = Array.from({ length: context.eventCount }, (_, index) => context.getEventAt(index).message);
  return [...problems, ...card.validateProperties().validationEvents.map((event) => event.message)];
}

const LEAD: Alert = alertFixture('a-lead', {
  detection: 'token.issuance.missing',
  severity: 'critical',
  title: 'Graph call with a token no sign-in issued',
  summary: 'A token read mail.',
  decoyId: 'd-user-1',
  actor: {
    userPrincipalName: 'svc-backup@contoso.example',
    userId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44',
    appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
    ipAddress: '203.0.113.45',
    userAgent: 'python-requests/2.31',
  },
  target: { mailbox: 'ceo@contoso.example', resource: 'GET https://graph.microsoft.com/v1.0/users/ceo/messages' },
  token: { uniqueTokenId: 'forged000ZZZZZZZZZZZZZ' },
  evidence: [{ source: 'entra', type: 'MicrosoftGraphActivityLogs', id: 'e1', time: '2026-11-02T08:00:00.000Z' }],
  incidentId: 'inc-1',
});
const INCIDENT: Incident = {
  id: 'inc-1',
  severity: 'critical',
  title: 'Forged token reading mail',
  firstOccurredAt: '2026-11-02T08:00:00.000Z',
  lastOccurredAt: '2026-11-02T08:10:00.000Z',
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:00:00.000Z',
  alertIds: ['a-lead', 'a-2'],
  detections: ['decoy.user.signIn', 'token.issuance.missing'],
  actorKeys: ['ip:203.0.113.45'],
  highestAlertSeverity: 'critical',
  status: 'open',
};

describe('Teams card', () => {
  it('passes the Adaptive Cards parser and validation at the version Workflows accepts, with links and no Submit', () => {
    const message = formatTeamsMessage(
      incidentContent('incident', INCIDENT, [LEAD, alertFixture('a-2', { severity: 'high', incidentId: 'inc-1' })], 'public', runbookOf),
    );
    assert.deepEqual(cardProblems(message), []);
    const card = (message.attachments as { content: { version: string; actions: { type: string; url: string }[] } }[])[0]!.content;
    assert.equal(card.version, ADAPTIVE_CARD_VERSION);
    assert.ok(card.actions.every((action) => action.type === 'Action.OpenUrl'));
    assert.ok(
      card.actions.some(
        (action) =>
          action.url ===
          'https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44',
      ),
    );
    const text = JSON.stringify(message);
    for (const expected of [
      'svc-backup@contoso.example',
      '203.0.113.45',
      'forged000ZZZZZZZZZZZZZ',
      'MicrosoftGraphActivityLogs e1',
      'What to do now',
      'event 2026-11-02T08:00:00.000Z',
    ])
      assert.ok(text.includes(expected), expected);
  });

  it('stays under 28 KB with the largest evidence Lure produces, and still validates', () => {
    const huge = 'Ü'.repeat(20_000);
    const evidence = Array.from({ length: 20 }, (_, index) => ({
      source: 'exchange' as const,
      type: 'MailItemsAccessed',
      id: `${index}${'x'.repeat(1_023)}`,
      time: '2026-11-02T08:00:00.000Z',
    }));
    const lead = alertFixture('a-huge', {
      severity: 'critical',
      title: huge,
      summary: huge,
      actor: { userPrincipalName: `${huge}@x`, userAgent: huge, ipAddress: '203.0.113.45' },
      target: { resource: huge, mailbox: huge },
      evidence,
      count: 5_000,
      decoyId: huge,
    });
    const others = Array.from({ length: 500 }, (_, index) => alertFixture(`a-${index}`, { title: huge, severity: 'high' }));
    for (const content of [
      incidentContent('incident', { ...INCIDENT, title: huge, alertIds: others.map((alert) => alert.id) }, [lead, ...others], 'public', runbookOf),
      digestContent(
        '2026-11-28T12:00',
        Array.from({ length: 20 }, () => ({ severity: 'high' as const, title: huge })),
        1_000,
        'critical',
      ),
    ]) {
      const message = formatTeamsMessage(content);
      assert.ok(Buffer.byteLength(JSON.stringify(message)) <= TEAMS_MAX_BYTES, `${Buffer.byteLength(JSON.stringify(message))} bytes`);
      assert.ok(TEAMS_MAX_BYTES <= 28 * 1024);
      assert.deepEqual(cardProblems(message), []);
    }
  });

  it('does not let attacker-controlled text form a markdown link or an autolink', () => {
    const lead = alertFixture('a-ua', {
      actor: { userAgent: 'Mozilla [click here](https://evil.example/login) <https://evil.example>', ipAddress: '198.51.100.9' },
    });
    const text = JSON.stringify(formatTeamsMessage(incidentContent('incident', { ...INCIDENT, alertIds: ['a-ua'] }, [lead], 'public', runbookOf)));
    assert.doesNotMatch(text, /\]\(https:\/\/evil/);
    assert.doesNotMatch(text, /<https:\/\/evil/);
  });

  it('marks a test as a test', () => {
    const message = formatTeamsMessage(testContent('2026-11-28T12:00:00.000Z'));
    assert.deepEqual(cardProblems(message), []);
    assert.match(JSON.stringify(message), /TEST · LOW · Lure test notification/);
  });
});

describe('e-mail', () => {
  it('carries the same content as HTML and as text, escaping what records say', () => {
    const lead = alertFixture('a-xss', {
      title: '<script>alert(1)</script>',
      summary: 'x & y',
      actor: { userAgent: '"><img src=x onerror=alert(1)>', ipAddress: '203.0.113.45' },
      incidentId: 'inc-1',
    });
    const mail = formatEmail(incidentContent('incident', { ...INCIDENT, alertIds: ['a-xss'] }, [lead], 'public', runbookOf));
    assert.equal(mail.subject, '[Lure critical] <script>alert(1)</script>');
    assert.doesNotMatch(mail.html, /<script>|<img src=x/);
    assert.match(mail.html, /&lt;script&gt;/);
    for (const part of ['203.0.113.45', 'x & y', 'What to do now']) assert.ok(mail.text.includes(part), part);
    assert.match(mail.html, /x &amp; y/);
    assert.equal(
      formatEmail(incidentContent('incident', { ...INCIDENT, title: 'a\r\nBcc: evil@example.com' }, [], 'public', runbookOf)).subject.includes('\n'),
      false,
    );
  });
});

describe('destinations in Azure', () => {
  it('lets public addresses through and refuses private, loopback, metadata and translated ones', async () => {
    for (const host of ['8.8.8.8', '20.50.2.1', '[2606:4700:4700::1111]']) await assertPublic(host);
    for (const host of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.5',
      '192.168.1.1',
      '169.254.169.254',
      '168.63.129.16',
      '100.64.0.1',
      '198.18.0.1',
      '224.0.0.1',
      '[::1]',
      '[::ffff:7f00:1]',
      '[::7f00:1]',
      '[64:ff9b::a00:1]',
      '[fd00::1]',
      '[fe80::1]',
    ]) {
      await assert.rejects(assertPublic(host, 'the webhook'), /refused: the webhook URL leads to a private or loopback address/, host);
    }
  });
});

describe('webhook signature', () => {
  it('is verified by an independent HMAC-SHA256 implementation, and fails for another body, time or secret', () => {
    const secret = 'k'.repeat(40);
    const body = JSON.stringify(LEAD);
    const header = webhookSignature(body, secret, 1_764_331_200);
    const verify = (candidateBody: string, candidateSecret: string, signature: string): boolean => {
      const parts = Object.fromEntries(signature.split(',').map((part) => part.split('=') as [string, string]));
      const expected = createHmac('sha256', candidateSecret).update(`${parts.t}.${candidateBody}`).digest();
      const given = Buffer.from(parts.v1 ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
    assert.match(header, /^t=1764331200,v1=[0-9a-f]{64}$/);
    assert.equal(verify(body, secret, header), true);
    assert.equal(verify(`${body} `, secret, header), false);
    assert.equal(verify(body, 'another-secret-another-secret-another!', header), false);
    assert.equal(verify(body, secret, header.replace('t=1764331200', 't=1764331201')), false, 'the timestamp is signed: a replay cannot move it');
  });
});

describe('notification plan', () => {
  const settings = {
    channels: ['teams', 'email', 'webhook'] as const,
    minSeverity: { teams: 'medium', email: 'critical', webhook: 'low', sentinel: 'medium' } as const,
    updateWindowInMinutes: 30,
  };

  it('sends the webhook every alert (again when its severity rises) and Teams and e-mail the incident, then follow-ups per window', () => {
    const planned = plannedEntries(LEAD, INCIDENT, settings, '2026-11-28T12:44:00.000Z');
    assert.deepEqual(
      planned.map((entry) => [entry.entry.id, entry.otherwise?.id]),
      [
        ['teams|incident|inc-1', 'teams|update|inc-1|2026-11-28T12:30:00.000Z'],
        ['email|incident|inc-1', 'email|update|inc-1|2026-11-28T12:30:00.000Z'],
        ['webhook|alert|a-lead|critical', undefined],
      ],
    );
  });

  it('honours each channel threshold, and notifies nobody of a suppressed or resolved alert', () => {
    const planned = plannedEntries({ ...LEAD, severity: 'low' }, { ...INCIDENT, severity: 'high' }, settings, '2026-11-28T12:00:00.000Z');
    assert.deepEqual(
      planned.map((entry) => entry.entry.channel),
      ['teams', 'webhook'],
    );
    assert.deepEqual(plannedEntries({ ...LEAD, status: 'suppressed' }, INCIDENT, settings, '2026-11-28T12:00:00.000Z'), []);
    assert.deepEqual(plannedEntries({ ...LEAD, status: 'resolved' }, INCIDENT, settings, '2026-11-28T12:00:00.000Z'), []);
    assert.ok(
      plannedEntries({ ...LEAD, status: 'acknowledged' }, INCIDENT, settings, '2026-11-28T12:00:00.000Z').length > 0,
      'someone is on it: news still reaches them',
    );
  });

  it('writes Sentinel every state of an alert, resolved ones too, one entry per revision', () => {
    const withSentinel = { ...settings, channels: ['sentinel'] as const };
    const now = '2026-11-28T12:00:00.000Z';
    const idsOf = (alert: typeof LEAD) => plannedEntries(alert, INCIDENT, withSentinel, now).map((planned) => planned.entry.id);
    const first = idsOf(LEAD);
    assert.equal(first.length, 1);
    assert.deepEqual(idsOf(LEAD), first, 'the same state plans the same entry (a redelivered batch adds none)');
    const states = [
      LEAD,
      { ...LEAD, count: LEAD.count + 1 },
      { ...LEAD, count: LEAD.count + 1, status: 'acknowledged' as const },
      { ...LEAD, count: LEAD.count + 1, status: 'resolved' as const },
    ];
    const ids = states.flatMap(idsOf);
    assert.equal(new Set(ids).size, states.length, `each state its own entry: ${ids.join(', ')}`);
    assert.deepEqual(idsOf({ ...LEAD, status: 'suppressed' }), []);
    assert.deepEqual(idsOf({ ...LEAD, severity: 'low' }), [], 'below LURE_SENTINEL_MIN_SEVERITY');
  });
});

describe('ignore list', () => {
  it('matches addresses and ranges of both families, whole user agents and app ids', () => {
    const ignore = new IgnoreList({
      ips: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32'],
      userAgents: ['Qualys Scanner/1.0'],
      appIds: ['DE8BC8B5-D9F9-48B1-A8AD-B748DA725064'],
    });
    const hit = (actor: Alert['actor']) => ignore.matches(alertFixture('x', { actor }));
    assert.equal(hit({ ipAddress: '203.0.113.7' }), true);
    assert.equal(hit({ ipAddress: '198.51.100.200' }), true);
    assert.equal(hit({ ipAddress: '2001:db8:1::5' }), true);
    assert.equal(hit({ ipAddress: '203.0.113.8' }), false);
    assert.equal(hit({ userAgent: 'qualys scanner/1.0' }), true, 'the whole user agent, case aside');
    assert.equal(hit({ userAgent: 'python-requests/2.31 Qualys Scanner/1.0' }), false, 'an attacker cannot opt out by naming the scanner in theirs');
    assert.equal(hit({ appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064' }), true);
    assert.equal(hit({ ipAddress: 'not an ip', userAgent: 'curl' }), false);
  });
});
