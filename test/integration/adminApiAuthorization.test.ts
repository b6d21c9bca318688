import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminApi } from '../../functions/adminApi.js';
import { ADMIN_ROUTES } from '../../src/app/admin/adminRoutes.js';
import { HttpRequest, InvocationContext } from '../helpers/azf.js';
import {
  ADMIN_CALLER,
  type AdminFixtures,
  API_CLIENT_ID,
  AUTOMATION_APP,
  AZURE_CLI_CLIENT_ID,
  API_TENANT_ID,
  forgedClientPrincipal,
  seedAdminFixtures,
  STORM_0558_KID,
  startTenantKeys,
  type TenantKeys,
  unsecuredToken,
} from '../helpers/adminTokens.js';
import { fixedClock, testServices } from '../helpers/services.js';
import { type Services, useServices } from '../../src/host/services.js';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const SECONDS = Math.floor(NOW.getTime() / 1000);

/** One request per route that succeeds for an admin on a freshly seeded store. */
interface RouteCall {
  readonly method: string;
  readonly path: (fixtures: AdminFixtures) => string;
  readonly body?: unknown;
  /** PATCH needs the ETag of a GET first. */
  readonly ifMatchOf?: string;
  readonly success: number;
}

const CALLS: Record<string, RouteCall> = {
  listDecoys: { method: 'GET', path: () => '/api/decoys?kind=token', success: 200 },
  addDecoy: { method: 'POST', path: () => '/api/decoys', body: { register: { id: 'd-token-new', kind: 'token', kid: 'honey-kid-new' } }, success: 201 },
  getDecoy: { method: 'GET', path: () => '/api/decoys/d-token-1', success: 200 },
  updateDecoy: { method: 'PATCH', path: () => '/api/decoys/d-token-1', body: { enabled: false }, ifMatchOf: '/api/decoys/d-token-1', success: 200 },
  retireDecoy: { method: 'DELETE', path: () => '/api/decoys/d-token-1', success: 204 },
  rotateDecoy: { method: 'POST', path: () => '/api/decoys/d-token-1/rotate', success: 200 },
  getLure: { method: 'GET', path: () => '/api/decoys/d-token-1/lure', success: 200 },
  listAlerts: { method: 'GET', path: () => '/api/alerts?status=open&top=10', success: 200 },
  getAlert: { method: 'GET', path: (fixtures) => `/api/alerts/${fixtures.alertId}`, success: 200 },
  acknowledgeAlert: { method: 'POST', path: (fixtures) => `/api/alerts/${fixtures.alertId}/ack`, body: { note: 'on it' }, success: 200 },
  resolveAlert: { method: 'POST', path: (fixtures) => `/api/alerts/${fixtures.alertId}/resolve`, body: { note: 'pen test' }, success: 200 },
  listIncidents: { method: 'GET', path: () => '/api/incidents', success: 200 },
  getIncident: { method: 'GET', path: (fixtures) => `/api/incidents/${fixtures.incidentId}`, success: 200 },
  acknowledgeIncident: { method: 'POST', path: (fixtures) => `/api/incidents/${fixtures.incidentId}/ack`, body: { note: 'on it' }, success: 200 },
  resolveIncident: { method: 'POST', path: (fixtures) => `/api/incidents/${fixtures.incidentId}/resolve`, success: 200 },
  getStatus: { method: 'GET', path: () => '/api/status', success: 200 },
  listAudit: { method: 'GET', path: () => '/api/audit', success: 200 },
  listDeadLetters: { method: 'GET', path: () => '/api/dead-letters?top=5', success: 200 },
  listDetections: { method: 'GET', path: () => '/api/detections', success: 200 },
};

type Credential =
  | 'none'
  | 'expired'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'wrongTenant'
  | 'unknownKey'
  | 'storm0558Key'
  | 'algNone'
  | 'forgedPrincipalHeader'
  | 'reader'
  | 'admin'
  | 'appReader'
  | 'appAdmin'
  | 'noRole'
  | 'otherScope'
  | 'otherClient';
const CREDENTIALS: readonly Credential[] = [
  'none',
  'expired',
  'wrongAudience',
  'wrongIssuer',
  'wrongTenant',
  'unknownKey',
  'storm0558Key',
  'algNone',
  'forgedPrincipalHeader',
  'reader',
  'admin',
  'appReader',
  'appAdmin',
  'noRole',
  'otherScope',
  'otherClient',
];

/** What each credential may do: a person (delegated token, `scp`) and an app (application token) alike, by role. */
function expectedFor(credential: Credential, access: string, success: number): number {
  if (credential === 'admin' || credential === 'appAdmin') return success;
  if (credential === 'reader' || credential === 'appReader') return access === 'write' ? 403 : success;
  // Verified tokens that may do nothing: a person with no role, a person's token for another scope of the API,
  // and an admin's token through an app nobody chose for Lure (consent phishing).
  if (credential === 'noRole' || credential === 'otherScope' || credential === 'otherClient') return 403;
  return 401;
}

describe('admin API authorisation: every route × every kind of caller', () => {
  let tenant: TenantKeys;
  before(async () => {
    tenant = await startTenantKeys(NOW);
  });
  after(async () => {
    useServices(undefined);
    await tenant.close();
  });

  async function headersFor(credential: Credential): Promise<Record<string, string>> {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    switch (credential) {
      case 'none':
        return {};
      case 'expired':
        return bearer(await tenant.mint({ issuedAt: SECONDS - 7200, expiresAt: SECONDS - 3600 }));
      case 'wrongAudience':
        return bearer(await tenant.mint({ audience: '00000003-0000-0000-c000-000000000000' }));
      case 'wrongIssuer':
        return bearer(await tenant.mint({ issuer: `https://sts.windows.net/${API_TENANT_ID}/` }));
      case 'wrongTenant':
        return bearer(await tenant.mint({ tenantId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' }));
      case 'unknownKey':
        return bearer(await tenant.mint({ foreignKey: true }));
      case 'storm0558Key':
        return bearer(await tenant.mint({ foreignKey: true, kid: STORM_0558_KID }));
      case 'algNone':
        return bearer(unsecuredToken(NOW, `${tenant.login.url}/${API_TENANT_ID}/v2.0`));
      case 'forgedPrincipalHeader':
        return {
          'x-ms-client-principal': forgedClientPrincipal(),
          'x-ms-client-principal-id': '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21',
          'x-ms-client-principal-name': 'secops-admin@contoso.example',
        };
      case 'reader':
        return bearer(await tenant.mint({ roles: ['Lure.Reader'] }));
      case 'admin':
        return bearer(await tenant.mint({ roles: ['Lure.Admin'] }));
      case 'appReader':
        return bearer(await tenant.mint({ app: true, roles: ['Lure.Reader'] }));
      case 'appAdmin':
        return bearer(await tenant.mint({ app: true, roles: ['Lure.Admin'] }));
      case 'noRole':
        return bearer(await tenant.mint({ roles: [] }));
      case 'otherScope':
        return bearer(await tenant.mint({ roles: ['Lure.Admin'], scopes: 'User.Read' }));
      case 'otherClient':
        return bearer(await tenant.mint({ roles: ['Lure.Admin'], clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f' }));
    }
  }

  async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const request = new HttpRequest({
      method,
      url: `https://lure-contoso.azurewebsites.net${path}`,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
    });
    const response = await adminApi(request, new InvocationContext({ functionName: 'adminApi' }));
    const text = typeof response.body === 'string' ? response.body : '';
    return {
      status: response.status ?? 200,
      headers: new Headers(response.headers),
      json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async function freshServices(): Promise<{ services: Services; fixtures: AdminFixtures }> {
    const services = await testServices({ settings: tenant.settings, clock: fixedClock(NOW.toISOString()) });
    const fixtures = await seedAdminFixtures(services);
    useServices(services);
    return { services, fixtures };
  }

  async function snapshot(services: Services): Promise<string> {
    const alerts = [];
    for await (const stored of services.store.listAlerts()) alerts.push(stored);
    const audit = [];
    for await (const entry of services.store.listAuditEntries()) audit.push(entry);
    return JSON.stringify({ decoys: await services.store.listDecoys(), alerts, audit, lifecycles: await services.store.listDecoyLifecycles() });
  }

  it('covers every route the API serves', () => {
    assert.deepEqual(Object.keys(CALLS).sort(), ADMIN_ROUTES.map((route) => route.operationId).sort());
  });

  for (const route of ADMIN_ROUTES) {
    const spec = CALLS[route.operationId]!;
    for (const credential of CREDENTIALS) {
      const expected = expectedFor(credential, route.access, spec.success);
      it(`${route.method} ${route.path} with ${credential} → ${expected}`, async () => {
        const { services, fixtures } = await freshServices();
        const before = await snapshot(services);
        const headers = await headersFor(credential);
        if (spec.ifMatchOf !== undefined) {
          const read = await call('GET', spec.ifMatchOf, await headersFor('reader'));
          headers['if-match'] = read.headers.get('etag')!;
        }
        const response = await call(spec.method, spec.path(fixtures), headers, spec.body);
        assert.equal(response.status, expected, JSON.stringify(response.json));
        if (expected === 401 || expected === 403) {
          assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="lure"/);
          assert.equal((response.json?.['error'] as { code: string }).code, expected === 401 ? 'unauthenticated' : 'forbidden');
          assert.doesNotMatch(JSON.stringify(response.json), /at .*\.ts:\d+|stack/i, 'no stack trace reaches the caller');
          assert.equal(await snapshot(services), before, 'a refused caller changed nothing');
        }
        if ((credential === 'admin' || credential === 'appAdmin') && route.access === 'write') {
          const audit = [];
          for await (const entry of services.store.listAuditEntries()) audit.push(entry);
          assert.equal(audit.length, 1, 'the change is on the audit trail');
          assert.deepEqual(
            audit[0]!.caller,
            credential === 'admin'
              ? { objectId: ADMIN_CALLER.oid, userPrincipalName: ADMIN_CALLER.upn, appId: AZURE_CLI_CLIENT_ID }
              : { objectId: AUTOMATION_APP.oid, appId: AUTOMATION_APP.appId },
          );
          assert.equal(audit[0]!.outcome, 'succeeded');
        }
      });
    }
  }

  it('serves the OpenAPI document to anyone, token or not', async () => {
    await freshServices();
    for (const credential of CREDENTIALS) {
      const response = await call('GET', '/api/openapi.json', await headersFor(credential));
      assert.equal(response.status, 200, credential);
      assert.equal(response.json?.['openapi'], '3.1.0');
    }
  });

  it('tells the console how to sign a person in, without a token and without a secret', async () => {
    await freshServices();
    const response = await call('GET', '/api/console-config', {});
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, {
      mode: 'entra',
      cloud: 'public',
      tenantId: API_TENANT_ID,
      clientId: API_CLIENT_ID,
      authority: `${tenant.login.url}/${API_TENANT_ID}`,
      scopes: [`api://${API_CLIENT_ID}/access_as_user`],
    });
    assert.equal((await call('POST', '/api/console-config', {})).status, 405);
    useServices(await testServices({ clock: fixedClock(NOW.toISOString()) }));
    assert.deepEqual((await call('GET', '/api/console-config', {})).json, { mode: 'unconfigured', cloud: 'public' });
  });

  it('serves the console outside /api, with a policy that runs no inline or foreign script and allows no framing', async () => {
    await freshServices();
    const request = new HttpRequest({ method: 'GET', url: 'https://lure-contoso.azurewebsites.net/' });
    const response = await adminApi(request, new InvocationContext({ functionName: 'adminApi' }));
    const headers = new Headers(response.headers);
    // Built by npm run build (npm ci's prepare); a clone that never built says so instead.
    const body = Buffer.isBuffer(response.body) || typeof response.body === 'string' ? response.body.toString() : '';
    if (response.status === 503) assert.match(body, /The console is not built: run npm run build/);
    else {
      assert.equal(response.status, 200);
      assert.match(headers.get('content-type') ?? '', /^text\/html/);
      assert.match(body, /<script type="module" src="\/assets\/app-[0-9a-f]{12}\.js"><\/script>/);
    }
    const policy = headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", `connect-src 'self' ${new URL(tenant.login.url).origin}`]) {
      assert.ok(policy.includes(directive), `${directive} in ${policy}`);
    }
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    assert.equal(headers.get('x-frame-options'), 'DENY');
    // The API's own answers, a refusal included, are never a page either.
    const refused = await call('GET', '/api/alerts', {});
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    assert.equal(refused.headers.get('x-frame-options'), 'DENY');
  });

  it('refuses everything but the document when the API is not configured (no client id)', async () => {
    const services = await testServices({ settings: { LURE_TENANT_ID: API_TENANT_ID }, clock: fixedClock(NOW.toISOString()) });
    useServices(services);
    const response = await call('GET', '/api/decoys', { authorization: `Bearer ${await tenant.mint()}` });
    assert.equal(response.status, 503);
    assert.match((response.json?.['error'] as { message: string }).message, /LURE_API_CLIENT_ID/);
    assert.equal((await call('GET', '/api/openapi.json', {})).status, 200);
  });

  it('accepts the app id URI as audience, and refuses a token of the right tenant for another API', async () => {
    await freshServices();
    assert.equal(
      (await call('GET', '/api/decoys', { authorization: `Bearer ${await tenant.mint({ audience: `api://${API_CLIENT_ID}`, roles: ['Lure.Reader'] })}` }))
        .status,
      200,
    );
    assert.equal(
      (await call('GET', '/api/decoys', { authorization: `Bearer ${await tenant.mint({ audience: `api://other-${API_CLIENT_ID}`, roles: ['Lure.Reader'] })}` }))
        .status,
      401,
    );
    assert.equal(
      (await call('GET', '/api/decoys', { authorization: `Bearer ${await tenant.mint({ roles: [] })}` })).status,
      403,
      'a token without an app role',
    );
    assert.equal(
      (await call('GET', '/api/decoys', { authorization: `Bearer ${await tenant.mint({ idToken: true, audience: API_CLIENT_ID })}` })).status,
      401,
      'an ID token of the API app',
    );
  });

  it("answers 503, not 401, while the tenant's key endpoint fails", async () => {
    tenant.login.script(`/${API_TENANT_ID}/discovery/v2.0/keys`, { status: 500, body: { error: 'temporarily_unavailable' } });
    try {
      await freshServices();
      const response = await call('GET', '/api/decoys', { authorization: `Bearer ${await tenant.mint()}` });
      assert.equal(response.status, 503);
      assert.equal((response.json?.['error'] as { code: string }).code, 'keysUnavailable');
      assert.equal(response.headers.get('retry-after'), '30');
    } finally {
      tenant.restoreKeys();
    }
  });
});
