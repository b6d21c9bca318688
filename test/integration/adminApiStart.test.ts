import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { loadDevSigningKey, mintDevToken } from '../../src/adapters/devTokens.js';
import { API_CLIENT_ID, API_TENANT_ID, startTenantKeys } from '../helpers/adminTokens.js';
import { cleanEnvironment, runLure, spawnLure, waitFor } from '../helpers/cli.js';
import { signInRecord } from '../helpers/records.js';
import { fixedClock, recordingLogger, testServices } from '../helpers/services.js';
import { useAzurite } from '../helpers/azurite.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { startLocalHost } from '../../src/host/local/localHost.js';
import { adminApiFor, devTokenIdentity } from '../../src/host/adminHosting.js';

const DECOY_UPN = 'svc-ledger-sync@contoso.example';

async function stop(child: ReturnType<typeof spawnLure>): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

/** A sign-in to the decoy user, dropped into the inbox as a file of its own. */
function dropSignIn(inbox: string, name: string, time: string, ipAddress: string): void {
  writeFileSync(path.join(inbox, name), `${JSON.stringify({ records: [signInRecord({ time, userPrincipalName: DECOY_UPN, ipAddress })] })}\n`);
}

describe('the admin API of npm start, end to end', () => {
  it('switching a decoy off through the API stops its alerts, on again restarts them; dev tokens of another key or role are refused', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-api-'));
    const environment = cleanEnvironment({ LURE_DATA_DIR: dataDir, LURE_DEMO: 'false' });
    const host = spawnLure(['start'], environment);
    try {
      await waitFor(
        () => /Admin API: http:\/\/127\.0\.0\.1:\d+\/api/.test(host.output.stderr) && host.output.stderr.includes('Watching'),
        () => host.output.stderr,
      );
      const base = /Admin API: (http:\/\/127\.0\.0\.1:\d+\/api)/.exec(host.output.stderr)![1]!;
      const minted = await runLure(['dev-token', '--role', 'Lure.Admin', '--upn', 'pen-test-lead@contoso.example'], environment);
      assert.equal(minted.code, 0, minted.stderr);
      const admin = minted.stdout.trim();
      const reader = (await runLure(['dev-token', '--role', 'Lure.Reader'], environment)).stdout.trim();
      const api = async (method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
        const response = await fetch(`${base}${route}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, etag: response.headers.get('etag'), json: text === '' ? undefined : (JSON.parse(text) as unknown) };
      };
      const toggle = async (enabled: boolean) => {
        const read = await api('GET', '/decoys/d-user-e2e', reader);
        const changed = await api('PATCH', '/decoys/d-user-e2e', admin, { enabled }, { 'if-match': read.etag! });
        assert.equal(changed.status, 200, JSON.stringify(changed.json));
      };

      const registered = await api('POST', '/decoys', admin, { register: { id: 'd-user-e2e', kind: 'user', userPrincipalName: DECOY_UPN } });
      assert.equal(registered.status, 201, JSON.stringify(registered.json));
      const inbox = path.join(dataDir, 'inbox');

      dropSignIn(inbox, '1-before.json', '2026-11-28T08:10:00.000Z', '203.0.113.10');
      await waitFor(
        () => host.output.stderr.includes('1-before.json: 1 record,'),
        () => host.output.stderr,
      );
      assert.equal(host.output.stdout.match(new RegExp(`decoy\\.user\\.signIn .*${DECOY_UPN.replace('.', '\\.')}`, 'g'))?.length, 1, host.output.stdout);

      await toggle(false);
      dropSignIn(inbox, '2-off.json', '2026-11-28T09:10:00.000Z', '203.0.113.11');
      await waitFor(
        () => host.output.stderr.includes('2-off.json: 1 record,'),
        () => host.output.stderr,
      );
      assert.match(host.output.stderr, /suppressed hit on disabled decoy d-user-e2e/);
      assert.equal(host.output.stdout.match(/decoy\.user\.signIn/g)?.length, 1, 'no alert while the decoy is off');

      await toggle(true);
      dropSignIn(inbox, '3-on.json', '2026-11-28T10:10:00.000Z', '203.0.113.12');
      await waitFor(
        () => host.output.stderr.includes('3-on.json: 1 record,'),
        () => host.output.stderr,
      );
      assert.equal(host.output.stdout.match(/decoy\.user\.signIn/g)?.length, 2, 'alerts again once it is on');

      const alerts = await api('GET', '/alerts?detection=decoy.user.signIn', reader);
      assert.deepEqual((alerts.json as { items: { status: string }[] }).items.map((alert) => alert.status).sort(), ['open', 'open', 'suppressed']);
      const audit = await api('GET', '/audit', reader);
      assert.deepEqual(
        (audit.json as { items: { action: string; detail: string; caller: { userPrincipalName: string } }[] }).items
          .map((entry) => `${entry.action} ${entry.detail} by ${entry.caller.userPrincipalName}`)
          .reverse(),
        [
          'decoy.add registered user decoy d-user-e2e by pen-test-lead@contoso.example',
          'decoy.update enabled: true → false by pen-test-lead@contoso.example',
          'decoy.update enabled: false → true by pen-test-lead@contoso.example',
        ],
      );

      assert.equal((await api('PATCH', '/decoys/d-user-e2e', reader, { enabled: false }, { 'if-match': '"x"' })).status, 403, 'a reader cannot switch decoys');
      const otherDataDir = mkdtempSync(path.join(tmpdir(), 'lure-api-other-'));
      const foreign = (await runLure(['dev-token', '--role', 'Lure.Admin'], cleanEnvironment({ LURE_DATA_DIR: otherDataDir }))).stdout.trim();
      assert.equal((await api('GET', '/decoys', foreign)).status, 401, "a dev token signed by another data folder's key");
    } finally {
      assert.equal(await stop(host), 0, host.output.stderr);
    }
  });

  it('mints dev tokens that live at most a day: longer would be refused by the API as no Entra token lives that long', async () => {
    const environment = cleanEnvironment({ LURE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lure-api-lifetime-')) });
    const tooLong = await runLure(['dev-token', '--role', 'Lure.Reader', '--expires-in-minutes', '1441'], environment);
    assert.equal(tooLong.code, 2);
    assert.match(tooLong.stderr, /at most 1440 minutes/);
    assert.equal(tooLong.stdout, '');
    const aDay = await runLure(['dev-token', '--role', 'Lure.Reader', '--expires-in-minutes', '1440'], environment);
    assert.equal(aDay.code, 0, aDay.stderr);
    const claims = decodeJwt(aDay.stdout.trim());
    assert.equal(claims.exp! - claims.iat!, 24 * 3600);
  });

  it('never accepts dev tokens in Azure: the CLI will not mint them, the local host will not start, the Functions API refuses them', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-api-azure-'));
    const inAzure = cleanEnvironment({ LURE_DATA_DIR: dataDir, WEBSITE_SITE_NAME: 'lure-contoso', LURE_STORE: 'memory' });
    const minted = await runLure(['dev-token', '--role', 'Lure.Admin'], inAzure);
    assert.equal(minted.code, 2);
    assert.match(minted.stderr, /local host only/);
    const started = await runLure(['start'], inAzure);
    assert.notEqual(started.code, 0);
    assert.match(started.stderr, /local host only/);

    // The API a Functions host builds has no dev key, whatever the data folder holds: a dev token claiming
    // the real tenant and API is signed by a key the tenant does not publish.
    const key = await loadDevSigningKey(dataDir);
    const now = new Date('2026-11-28T12:00:00.000Z');
    const tenant = await startTenantKeys(now);
    try {
      const services = await testServices({ settings: tenant.settings, clock: fixedClock(now.toISOString()) });
      const token = await mintDevToken(key, {
        tenantId: API_TENANT_ID,
        audience: API_CLIENT_ID,
        authorityHost: tenant.login.url,
        roles: ['Lure.Admin'],
        lifetimeInMinutes: 60,
        now,
      });
      const ask = (bearer: string) =>
        adminApiFor(services).handle({
          method: 'GET',
          url: new URL('https://lure-contoso.azurewebsites.net/api/decoys'),
          headers: new Headers({ authorization: `Bearer ${bearer}` }),
          readBody: () => Promise.resolve(''),
        });
      assert.equal((await ask(token)).status, 401, 'a dev token is refused in Azure');
      assert.equal((await ask(await tenant.mint())).status, 200, 'while a token of the tenant is accepted');
      const inAzureServices = await testServices({
        settings: { LURE_TENANT_ID: API_TENANT_ID, LURE_API_CLIENT_ID: API_CLIENT_ID, WEBSITE_SITE_NAME: 'lure-contoso' },
      });
      assert.throws(() => adminApiFor(inAzureServices, { devKeys: key.publicKeys }), /local host only/);
    } finally {
      await tenant.close();
    }
  });
});

describe('the local admin API over configured Table Storage', () => {
  const azurite = useAzurite();

  it("accepts no dev tokens: the data may be a deployment's", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-api-table-'));
    const config = loadConfig({
      LURE_TABLE_CONNECTION_STRING: azurite.connectionString(),
      LURE_TABLE_PREFIX: azurite.uniquePrefix(),
      LURE_DATA_DIR: dataDir,
      LURE_DEMO: 'false',
      LURE_API_PORT: '0',
    });
    const notes: string[] = [];
    const host = await startLocalHost(config, { alert: () => {}, note: (line) => notes.push(line) }, recordingLogger());
    try {
      assert.ok(
        notes.some((line) => line.includes('tokens of the tenant only')),
        notes.join('\n'),
      );
      const identity = devTokenIdentity(config);
      const token = await mintDevToken(await loadDevSigningKey(dataDir), {
        ...identity,
        authorityHost: config.signing.authorityHost,
        roles: ['Lure.Admin'],
        lifetimeInMinutes: 5,
        now: new Date(),
      });
      const response = await fetch(`${host.apiUrl}/decoys`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(response.status, 503, 'no tenant configured: the API refuses all, dev tokens included');
    } finally {
      await host.stop();
    }
  });
});
