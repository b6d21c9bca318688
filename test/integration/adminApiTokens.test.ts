import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminApi } from '../../functions/adminApi.js';
import { HttpRequest, InvocationContext } from '../helpers/azf.js';
import { type MintOptions, STORM_0558_KID, startTenantKeys, type TenantKeys, TENANT_KEY_ID } from '../helpers/adminTokens.js';
import { fixedClock, recordingLogger, testServices } from '../helpers/services.js';
import { useServices } from '../../src/host/services.js';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const SECONDS = Math.floor(NOW.getTime() / 1000);
const HOUR = 3600;

/** Tokens that must each be refused with 401, never a 500: a forger's header and claims of every wrong type, and lifetimes Entra never issues. */
const REFUSED: Record<string, MintOptions> = {
  'kid an object whose toString is not a function (the issue)': { header: { kid: { toString: 'x' } } },
  'kid an array holding the tenant key id': { header: { kid: [TENANT_KEY_ID] } },
  'kid a number': { header: { kid: 12345 } },
  'kid null': { header: { kid: null } },
  'x5t an object': { header: { x5t: { toString: 'x' } } },
  'x5t an array holding the Storm-0558 key id': { header: { x5t: [STORM_0558_KID] } },
  'alg an object whose toString is RS256': { header: { alg: { toString: 'RS256' } } },
  'typ an object': { header: { typ: { valueOf: 1 } } },
  'a crit header jose does not know': { header: { crit: ['exp'] } },
  'kid of 10,000 characters': { header: { kid: 'k'.repeat(10_000) } },
  'tid a number': { claims: { tid: 123 } },
  'tid an object': { claims: { tid: { toLowerCase: 'x' } } },
  'oid an object': { claims: { oid: { toString: 'x' } } },
  'azp a number': { claims: { azp: 5 } },
  'scp an array holding the API scope': { claims: { scp: ['access_as_user'] } },
  'iat text': { claims: { iat: 'now' } },
  'exp text': { claims: { exp: 'later' } },
  'nbf an object': { claims: { nbf: {} } },
  'aud an object': { claims: { aud: { toString: 'x' } } },
  'iss a number': { claims: { iss: 42 } },
  'no iat': { claims: { iat: undefined } },
  'exp ten years ahead': { expiresAt: SECONDS + 10 * 365 * 24 * HOUR },
  'iat a year in the future': { issuedAt: SECONDS + 365 * 24 * HOUR, expiresAt: SECONDS + 365 * 24 * HOUR + HOUR, claims: { nbf: SECONDS - 60 } },
  'iat 10 minutes in the future (beyond the 2-minute skew)': { issuedAt: SECONDS + 600, expiresAt: SECONDS + 600 + HOUR, claims: { nbf: SECONDS - 60 } },
  'iat 29 hours ago, still unexpired': { issuedAt: SECONDS - 29 * HOUR, expiresAt: SECONDS + HOUR },
  'a lifetime of 28 hours and 15 minutes, issued now': { issuedAt: SECONDS - 60, expiresAt: SECONDS - 60 + 28 * HOUR + 15 * 60 },
};

/** Tokens Entra does issue: refusing them would lock out real callers. */
const ACCEPTED: Record<string, MintOptions> = {
  'a CAE-length token (27 hours) near the end of its life': { issuedAt: SECONDS - 26 * HOUR, expiresAt: SECONDS + HOUR },
  'a lifetime of exactly 28 hours': { issuedAt: SECONDS - 60, expiresAt: SECONDS - 60 + 28 * HOUR },
  'a 28-hour token whose iat was back-dated 5 minutes, near the end of its life': { issuedAt: SECONDS - 28 * HOUR, expiresAt: SECONDS + 5 * 60 },
  'iat a minute ahead (within the skew)': { issuedAt: SECONDS + 60, expiresAt: SECONDS + 60 + HOUR },
  'roles as one string (no app role: 403, not 401)': { claims: { roles: 'Lure.Admin' } },
  'preferred_username an object': { claims: { preferred_username: { toString: 'x' } } },
};

describe('admin API: token headers and claims of any type, and token lifetimes', () => {
  let tenant: TenantKeys;
  const logger = recordingLogger();

  before(async () => {
    tenant = await startTenantKeys(NOW);
    useServices(await testServices({ settings: tenant.settings, clock: fixedClock(NOW.toISOString()), logger }));
  });
  after(async () => {
    useServices(undefined);
    await tenant.close();
  });

  async function statusWith(token: string): Promise<{ status: number; code: string | undefined }> {
    const request = new HttpRequest({ method: 'GET', url: 'https://lure-contoso.azurewebsites.net/api/decoys', headers: { authorization: `Bearer ${token}` } });
    const response = await adminApi(request, new InvocationContext({ functionName: 'adminApi' }));
    const body = typeof response.body === 'string' && response.body !== '' ? (JSON.parse(response.body) as { error?: { code: string } }) : {};
    return { status: response.status ?? 200, code: body.error?.code };
  }

  for (const [name, options] of Object.entries(REFUSED)) {
    it(`refuses ${name} with 401`, async () => {
      const before = logger.lines.length;
      assert.deepEqual(await statusWith(await tenant.mint(options)), { status: 401, code: 'unauthenticated' });
      const logged = logger.lines.slice(before).map((line) => JSON.parse(line) as { level: string; message: string });
      assert.deepEqual(
        logged.filter((line) => line.level === 'error'),
        [],
        'a refusal is a warning, not an error',
      );
      assert.ok(logged.some((line) => line.message === 'admin API: token refused'));
      for (const line of logger.lines.slice(before)) assert.ok(line.length < 1_000, `a log line of ${line.length} characters`);
    });
  }

  it("refuses the issue's exact header, unsigned, with 401", async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'RS256', kid: { toString: 'x' } })}.${part({ tid: 'x' })}.${part({})}`;
    assert.deepEqual(await statusWith(token), { status: 401, code: 'unauthenticated' });
  });

  for (const [name, options] of Object.entries(ACCEPTED)) {
    it(`accepts ${name}`, async () => {
      const { status } = await statusWith(await tenant.mint(options));
      assert.equal(status, options.claims?.['roles'] === undefined ? 200 : 403);
    });
  }
});
