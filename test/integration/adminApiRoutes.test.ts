import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type AnySchemaObject } from 'ajv/dist/2020.js';
import { ADMIN_ROUTES } from '../../src/app/admin/adminRoutes.js';
import type { Alert, AlertTriage } from '../../src/domain/alerts.js';
import { DECOY_USER_UPN, seedAdminFixtures, useAdminApi } from '../helpers/adminTokens.js';
import { useAzurite } from '../helpers/azurite.js';
import type { FakeGraph } from '../helpers/fakeGraph.js';
import { signInRecord, TENANT } from '../helpers/records.js';
import { movableClock } from '../helpers/services.js';
import { azuriteStore, fakeTenantDirectory, tenantServices, useFakeTenant } from '../helpers/tenant.js';

const NOW = '2026-11-28T12:00:00.000Z';
const azurite = useAzurite();

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

/** What the tests read of the OpenAPI document (the first test validates all of it against the OpenAPI 3.1 schema). */
interface OpenApiOperation {
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: AnySchemaObject } | undefined> } | undefined>;
  readonly parameters?: readonly { readonly name: string; readonly in: string }[];
  readonly requestBody?: unknown;
}
interface OpenApiDocument {
  readonly [key: string]: unknown;
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation | undefined> | undefined>;
}

/** What the tests read of the answers; `call` has checked each success answer against its documented schema. */
interface DecoyAnswer {
  readonly decoy: { readonly userPrincipalName: string; readonly memo?: string; readonly rotationIntervalInHours?: number };
  readonly material: string;
}
interface LureAnswer {
  readonly material?: string;
  readonly note: string;
}
interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string };
}
interface Page<T> {
  readonly items: T[];
  readonly continuation?: string;
}
type TriagedAlert = Alert & { readonly triage: AlertTriage };
interface StatusAnswer {
  readonly sources: readonly { readonly stream: string; readonly silent: boolean; readonly lastEventAt?: string; readonly lagInSeconds: number }[];
  readonly lastHour: readonly { readonly origin: string; readonly records: number; readonly deadLettered: number }[];
  readonly channels: readonly { readonly channel: string }[];
  readonly keySets: readonly { readonly set: string; readonly stale: boolean }[];
}

/**
 * The admin API's routes doing their jobs over real HTTP, on Azurite, with decoys in a loopback tenant. Every
 * answer is checked against the OpenAPI document's schema for it, and the document against the OpenAPI 3.1 schema.
 */
describe('admin API routes (real HTTP, Azurite, loopback Graph)', () => {
  const fakeTenant = useFakeTenant();
  let graph: FakeGraph;
  let clock: ReturnType<typeof movableClock>;
  let document: OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const { tenant, services, server } = useAdminApi(new Date(NOW), async ({ settings }) => {
    graph = fakeTenant.graph();
    clock = movableClock(NOW);
    const seeded = await tenantServices({
      store: await azuriteStore(azurite.connectionString(), azurite.uniquePrefix()),
      directory: fakeTenantDirectory(graph, fakeTenant.login()),
      clock,
      settings,
    });
    await seedAdminFixtures(seeded);
    return seeded;
  });

  before(async () => {
    document = (await (await fetch(`${server().url}/openapi.json`)).json()) as OpenApiDocument;
  });

  /** Calls a route as `role`; checks a success answer against the document's schema for the route. */
  async function call(
    method: string,
    path: string,
    options: { body?: unknown; role?: 'Lure.Admin' | 'Lure.Reader'; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    // Each request a second after the last, as people click.
    clock.advance(1000);
    const token = await tenant().mint({
      roles: [options.role ?? 'Lure.Admin'],
      issuedAt: Math.floor(clock.now().getTime() / 1000) - 60,
      expiresAt: Math.floor(clock.now().getTime() / 1000) + 3600,
    });
    const response = await fetch(`${server().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    const json: unknown = text === '' ? undefined : JSON.parse(text);
    const template = ADMIN_ROUTES.find(
      (route) => route.method === method && new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0]!),
    );
    const schema =
      template && document.paths[`/api${template.path}`]?.[method.toLowerCase()]?.responses?.[String(response.status)]?.content?.['application/json']?.schema;
    if (schema !== undefined && !('$ref' in schema)) {
      const validate = ajv.compile(schema);
      assert.ok(validate(json), `${method} ${path} answered outside its documented schema: ${JSON.stringify(validate.errors)}\n${text.slice(0, 500)}`);
    }
    return { status: response.status, headers: response.headers, json };
  }

  it('publishes a valid OpenAPI 3.1 document that lists exactly the routes served', async () => {
    const result = await new Validator().validate(document);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.equal(document.openapi, '3.1.0');
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = [...ADMIN_ROUTES.map((route) => `${route.method} /api${route.path}`), 'GET /api/openapi.json', 'GET /api/console-config'];
    assert.deepEqual(documented.sort(), served.sort());
    for (const route of ADMIN_ROUTES) {
      const operation = document.paths[`/api${route.path}`]![route.method.toLowerCase()]!;
      assert.ok(operation.responses![String(route.response.status)], `${route.operationId} documents its ${route.response.status}`);
      for (const name of Object.keys(route.params ?? {}))
        assert.ok(operation.parameters!.some((parameter) => parameter.name === name && parameter.in === 'path'));
      assert.equal(operation.requestBody !== undefined, route.body !== undefined, `${route.operationId} documents its body`);
    }
  });

  it('creates a user decoy in the tenant: the password is in the creating answer only, and on the audit trail nowhere', async () => {
    const created = await call('POST', '/decoys', { body: { create: { kind: 'user', id: 'd-user-api', memo: 'in the backup runbook' } } });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.headers.get('location'), '/api/decoys/d-user-api');
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const createdDecoy = created.json as DecoyAnswer;
    const user = [...graph.users.values()].find((candidate) => candidate.userPrincipalName === createdDecoy.decoy.userPrincipalName)!;
    const password = user.passwords.at(-1)!;
    assert.ok(createdDecoy.material.includes(password), 'the creating answer carries the password');
    for (const path of ['/decoys/d-user-api', '/decoys/d-user-api/lure', '/decoys', '/audit']) {
      const answer = await call('GET', path);
      assert.equal(answer.status, 200);
      assert.ok(!JSON.stringify(answer.json).includes(password), `${path} does not show the password`);
    }
    const lure = await call('GET', '/decoys/d-user-api/lure');
    assert.equal((lure.json as LureAnswer).material, undefined);
    assert.match((lure.json as LureAnswer).note, /rotate/);
    const rotated = await call('POST', '/decoys/d-user-api/rotate');
    assert.equal(rotated.status, 200);
    const newPassword = user.passwords.at(-1)!;
    assert.notEqual(newPassword, password);
    assert.ok((rotated.json as DecoyAnswer).material.includes(newPassword));
    const retired = await call('DELETE', '/decoys/d-user-api');
    assert.equal(retired.status, 204);
    assert.equal(
      [...graph.users.values()].some((candidate) => candidate.userPrincipalName === createdDecoy.decoy.userPrincipalName),
      false,
      'the user Lure created is deleted',
    );
    assert.equal((await call('GET', '/decoys/d-user-api')).status, 404);
    const audit = ((await call('GET', '/audit')).json as Page<{ action: string; target: string; caller: { userPrincipalName: string }; detail: string }>).items;
    assert.deepEqual(
      audit.filter((entry) => entry.target === 'decoy:d-user-api').map((entry) => entry.action),
      ['decoy.retire', 'decoy.rotate', 'decoy.add'],
      'newest first',
    );
    assert.ok(audit.every((entry) => entry.caller.userPrincipalName === 'secops-admin@contoso.example'));
    assert.ok(!JSON.stringify(audit).includes(newPassword));
  });

  it('creates, rotates and retires a decoy file through the API; registers one by its ids; refuses one without any', async () => {
    const site = graph.addSite('https://contoso.sharepoint.com/sites/api-finance');
    const created = await call('POST', '/decoys', {
      body: { create: { kind: 'file', id: 'd-file-api', siteUrl: site.webUrl, folderPath: 'Payroll', fileName: 'Bonus pool 2026.xlsx' } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const decoy = (created.json as { decoy: { itemId: string; serverRelativeUrl: string; listItemUniqueId: string } }).decoy;
    assert.equal(decoy.serverRelativeUrl, '/sites/api-finance/Shared Documents/Payroll/Bonus pool 2026.xlsx');
    const item = site.drives[0]!.items.get(decoy.itemId)!;
    assert.equal(decoy.listItemUniqueId, item.listItemUniqueId);
    const listed = (await call('GET', '/decoys')).json as { items: { decoy: { id: string; kind: string } }[] };
    assert.ok(listed.items.some((entry) => entry.decoy.id === 'd-file-api' && entry.decoy.kind === 'file'));
    assert.equal((await call('POST', '/decoys/d-file-api/rotate')).status, 200);
    assert.equal(item.versions.length, 1, 'rotation rewrote the same item');
    assert.equal((await call('DELETE', '/decoys/d-file-api')).status, 204);
    assert.equal(site.drives[0]!.items.has(decoy.itemId), false);

    const registered = await call('POST', '/decoys', {
      body: { register: { kind: 'file', id: 'd-file-reg', siteUrl: site.webUrl, listItemUniqueId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0' } },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.json));
    const refused = await call('POST', '/decoys', { body: { register: { kind: 'file', id: 'd-file-bad', siteUrl: site.webUrl, fileName: 'x.xlsx' } } });
    assert.equal(refused.status, 400);
    assert.match((refused.json as ErrorAnswer).error.message, /listItemUniqueId, serverRelativeUrl, or driveId with itemId/);
    assert.equal((await call('DELETE', '/decoys/d-file-reg')).status, 204);
  });

  it('a honeytoken decoy shows its lure again (it grants nothing); a failing Graph call is a 502 on the audit trail', async () => {
    const created = await call('POST', '/decoys', { body: { create: { kind: 'token', id: 'd-token-api' } } });
    assert.equal(created.status, 201);
    const lure = await call('GET', '/decoys/d-token-api/lure');
    assert.equal((lure.json as LureAnswer).material, (created.json as DecoyAnswer).material);

    graph.fail('POST', /\/users$/, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } });
    const refused = await call('POST', '/decoys', { body: { create: { kind: 'user', id: 'd-user-refused' } } });
    assert.equal(refused.status, 502, JSON.stringify(refused.json));
    assert.equal((refused.json as ErrorAnswer).error.code, 'directoryFailed');
    assert.match((refused.json as ErrorAnswer).error.message, /403|Insufficient/);
    const audit = ((await call('GET', '/audit')).json as Page<{ target: string; outcome: string; status: number }>).items;
    const entry = audit.find((candidate) => candidate.target === 'decoy:d-user-refused');
    assert.equal(entry?.outcome, 'failed');
    assert.equal(entry.status, 502);
  });

  it('PATCH switches a decoy off and on: hits in between are suppressed, hits after alert again; the schedule follows the interval', async () => {
    const sign = (time: string, ipAddress: string) =>
      services().ingest([{ records: [signInRecord({ time, userPrincipalName: DECOY_USER_UPN, ipAddress, tenantId: TENANT })] }], 'entra partition 0');
    const toggle = async (changes: object) => {
      const read = await call('GET', '/decoys/d-user-1');
      const changed = await call('PATCH', '/decoys/d-user-1', { body: changes, headers: { 'if-match': read.headers.get('etag')! } });
      assert.equal(changed.status, 200, JSON.stringify(changed.json));
      assert.notEqual(changed.headers.get('etag'), read.headers.get('etag'));
      return changed;
    };
    await toggle({ enabled: false, memo: 'pen test until Friday' });
    const during = await sign('2026-11-28T13:10:00.000Z', '198.51.100.20');
    assert.deepEqual(
      during.alerts.map((alert) => alert.status),
      ['suppressed'],
    );
    const quiet = during.alerts[0]!.id;
    assert.equal((await call('POST', `/alerts/${quiet}/ack`)).status, 409, 'acknowledging a suppressed alert would make it notify');
    assert.equal(((await call('POST', `/alerts/${quiet}/resolve`, { body: { note: 'the pen testers' } })).json as Alert).status, 'resolved');
    await toggle({ enabled: true, memo: null });
    const afterwards = await sign('2026-11-28T14:10:00.000Z', '198.51.100.21');
    assert.deepEqual(
      afterwards.alerts.map((alert) => alert.status),
      ['open'],
    );
    const decoy = ((await call('GET', '/decoys/d-user-1')).json as DecoyAnswer).decoy;
    assert.equal(decoy.memo, undefined, 'null cleared the memo');

    const scheduled = await toggle({ rotationIntervalInHours: 24 });
    assert.equal((scheduled.json as DecoyAnswer).decoy.rotationIntervalInHours, 24);
    const audit = ((await call('GET', '/audit')).json as Page<{ target: string; detail: string }>).items;
    assert.deepEqual(
      audit
        .filter((entry) => entry.target === 'decoy:d-user-1')
        .map((entry) => entry.detail)
        .reverse(),
      ['enabled: true → false; memo changed', 'enabled: false → true; memo changed', 'rotationIntervalInHours: none → 24'],
    );
  });

  it('lists alerts newest first, filtered and paged without repeats; ack and resolve with notes; resolved stays resolved', async () => {
    for (let index = 0; index < 7; index += 1) {
      await services().ingest(
        [
          {
            records: [
              signInRecord({
                time: `2026-11-27T0${index}:30:00.000Z`,
                userPrincipalName: DECOY_USER_UPN,
                ipAddress: `192.0.2.${100 + index}`,
                tenantId: TENANT,
                errorCode: index % 2 === 0 ? 0 : 50126,
              }),
            ],
          },
        ],
        'entra partition 1',
      );
    }
    const seen: Alert[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await call('GET', `/alerts?top=3&to=2026-11-28T00:00:00Z${continuation === undefined ? '' : `&continuation=${continuation}`}`, {
        role: 'Lure.Reader',
      });
      assert.equal(page.status, 200);
      seen.push(...(page.json as Page<Alert>).items);
      continuation = (page.json as Page<Alert>).continuation;
      pages += 1;
    } while (continuation !== undefined);
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen.map((alert) => alert.id)).size, 7, 'no alert twice');
    assert.deepEqual(
      seen.map((alert) => alert.occurredAt),
      [...seen.map((alert) => alert.occurredAt)].sort().reverse(),
      'newest first',
    );
    const critical = await call('GET', '/alerts?severity=critical&detection=decoy.user.signIn&from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z');
    assert.equal((critical.json as Page<Alert>).items.length, 4, 'the four successful sign-ins are critical');

    const target = seen[0]!;
    const acknowledged = await call('POST', `/alerts/${target.id}/ack`, { body: { note: 'looking at the source IP' } });
    assert.equal(acknowledged.status, 200);
    assert.equal((acknowledged.json as TriagedAlert).status, 'acknowledged');
    assert.deepEqual((acknowledged.json as TriagedAlert).triage.by, {
      objectId: '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21',
      userPrincipalName: 'secops-admin@contoso.example',
    });
    assert.equal(((await call('GET', '/alerts?status=acknowledged')).json as Page<Alert>).items.length, 1);
    const resolved = await call('POST', `/alerts/${target.id}/resolve`, { body: { note: 'authorised red team' } });
    assert.equal((resolved.json as TriagedAlert).status, 'resolved');
    assert.equal((resolved.json as TriagedAlert).triage.note, 'authorised red team');
    assert.equal((await call('POST', `/alerts/${target.id}/ack`)).status, 409, 'a resolved alert is not acknowledged again');
    assert.equal((await call('POST', `/alerts/${target.id}/resolve`)).status, 200, 'resolving again is harmless');
    // The same attacker again in the same hour: new evidence folds in, the decision stands.
    const again = await services().ingest(
      [
        {
          records: [
            signInRecord({
              time: target.occurredAt.replace(':30:00', ':45:00'),
              userPrincipalName: DECOY_USER_UPN,
              ipAddress: target.actor.ipAddress!,
              tenantId: TENANT,
              errorCode: target.severity === 'critical' ? 0 : 50126,
            }),
          ],
        },
      ],
      'entra partition 1',
    );
    assert.equal(again.alerts.find((alert) => alert.id === target.id)?.status, 'resolved');
    const stored = await call('GET', `/alerts/${target.id}`);
    assert.equal((stored.json as TriagedAlert).count, 2);
    assert.equal((stored.json as TriagedAlert).triage.status, 'resolved');
  });

  it('shows incidents, and the status of sources, channels and key sets', async () => {
    const incidents = await call('GET', '/incidents?status=open', { role: 'Lure.Reader' });
    assert.equal(incidents.status, 200);
    const open = (incidents.json as Page<{ id: string }>).items;
    assert.ok(open.length >= 1);
    const incident = await call('GET', `/incidents/${open[0]!.id}`);
    assert.equal((incident.json as { id: string }).id, open[0]!.id);

    // Counts are written once a minute per instance.
    clock.advance(61_000);
    await services().ingest(
      [
        '{"records": [ {"broken"',
        { records: [signInRecord({ time: '2026-11-28T11:58:00.000Z', userPrincipalName: 'someone@contoso.example', tenantId: TENANT })] },
      ],
      'entra partition 2',
    );
    await services().store.upsertKeySetFetches([
      { set: 'organization', fetchedAt: '2026-11-28T11:30:00.000Z' },
      { set: 'consumer', fetchedAt: '2026-11-27T12:00:00.000Z' },
    ]);
    const status = await call('GET', '/status', { role: 'Lure.Reader' });
    assert.equal(status.status, 200);
    const report = status.json as StatusAnswer;
    const entra = report.sources.find((source) => source.stream === 'source:entra')!;
    assert.equal(entra.silent, false);
    assert.ok(entra.lastEventAt !== undefined && entra.lagInSeconds >= 0);
    const lastHour = report.lastHour.find((origin) => origin.origin === 'entra')!;
    assert.ok(lastHour.records >= 3, JSON.stringify(report.lastHour));
    assert.ok(lastHour.deadLettered >= 1, 'the malformed message is counted');
    assert.deepEqual(
      report.channels.map((channel) => channel.channel),
      ['teams', 'email', 'webhook', 'sentinel'],
    );
    assert.deepEqual(
      report.keySets.map((set) => [set.set, set.stale]),
      [
        ['consumer', true],
        ['organization', false],
      ],
    );
  });

  it('acknowledges and resolves an incident with its alerts, and puts the decision on the audit trail', async () => {
    const open = ((await call('GET', '/incidents?status=open')).json as Page<{ id: string; alertIds: string[] }>).items[0]!;
    assert.equal((await call('POST', `/incidents/${open.id}/ack`, { role: 'Lure.Reader' })).status, 403);
    const acknowledged = await call('POST', `/incidents/${open.id}/ack`, { body: { note: 'one attacker' } });
    assert.equal(acknowledged.status, 200);
    const answer = acknowledged.json as { incident: { status: string; triage: { note: string } }; alerts: { changed: number; unchanged: number } };
    assert.deepEqual([answer.incident.status, answer.incident.triage.note], ['acknowledged', 'one attacker']);
    assert.equal(answer.alerts.changed + answer.alerts.unchanged, open.alertIds.length);
    assert.equal(((await call('GET', '/incidents?status=acknowledged')).json as Page<{ id: string }>).items[0]?.id, open.id);
    for (const id of open.alertIds) assert.equal(((await call('GET', `/alerts/${id}`)).json as Alert).status, 'acknowledged');

    assert.equal((await call('POST', `/incidents/${open.id}/resolve`, { body: { note: 'contained' } })).status, 200);
    for (const id of open.alertIds) assert.equal(((await call('GET', `/alerts/${id}`)).json as Alert).status, 'resolved');
    const refused = await call('POST', `/incidents/${open.id}/ack`);
    assert.deepEqual([refused.status, (refused.json as ErrorAnswer).error.message], [409, 'the incident is resolved already']);
    assert.equal((await call('POST', `/incidents/${'0'.repeat(24).replace(/^/, 'inc-')}/resolve`)).status, 404);

    const trail = ((await call('GET', '/audit')).json as Page<{ action: string; target: string; detail?: string }>).items;
    const entry = trail.find((item) => item.action === 'incident.resolve' && item.target === `incident:${open.id}`);
    assert.match(entry?.detail ?? '', new RegExp(`^acknowledged → resolved; ${open.alertIds.length} alerts resolved; note: contained$`));
  });

  it('lists the audit trail by time range', async () => {
    const all = ((await call('GET', '/audit?top=500')).json as Page<{ at: string }>).items;
    assert.ok(all.length >= 5);
    const from = all.at(-1)!.at;
    const ranged = ((await call('GET', `/audit?from=${encodeURIComponent(from)}&to=${encodeURIComponent(all[0]!.at)}`)).json as Page<{ at: string }>).items;
    assert.ok(ranged.every((entry) => entry.at >= from && entry.at < all[0]!.at));
  });
});
