/**
 * The console's Entra sign-in in a real Chromium, against a loopback fake of Entra (authorization code with
 * PKCE, a token signed by a key the fake publishes) and the Functions HTTP handler itself serving the page
 * and the API. Skipped without Chromium, as the other browser tests are (see console.test.ts).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { adminApi } from '../../functions/adminApi.js';
import { buildConsole } from '../../scripts/buildConsole.js';
import { useServices } from '../../src/host/services.js';
import { BROWSER_TESTS_SKIPPED, launchChromium } from '../../scripts/chromium.js';
import { HttpRequest, InvocationContext } from '../helpers/azf.js';
import { type FakeEntraSignIn, startFakeEntraSignIn } from '../helpers/fakeEntraSignIn.js';
import { testServices } from '../helpers/services.js';

const TENANT = '3c6d1f0a-2b4e-4c8d-9e7f-5a1b2c3d4e5f';
const API_CLIENT = '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
const PERSON = { objectId: '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21', userPrincipalName: 'analyst@contoso.example', roles: ['Lure.Reader'] };

/** The Functions handler on a loopback port, as the platform would put it in front of the page's browser. */
async function startFunctionsHost(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(Object.entries(request.headers).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])));
      const answer = await adminApi(
        new HttpRequest({
          method: request.method ?? 'GET',
          url: `http://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/'}`,
          headers,
          ...(chunks.length === 0 ? {} : { body: { string: Buffer.concat(chunks).toString('utf8') } }),
        }),
        new InvocationContext({ functionName: 'adminApi' }),
      );
      response.writeHead(answer.status ?? 200, Object.fromEntries(new Headers(answer.headers).entries()));
      response.end(answer.body as Buffer | string | undefined);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the console signs in with Entra ID', { skip: BROWSER_TESTS_SKIPPED }, () => {
  let entra: FakeEntraSignIn | undefined;
  let host: Awaited<ReturnType<typeof startFunctionsHost>> | undefined;
  let browser: Browser | undefined;

  before(async () => {
    await buildConsole();
    const fake = await startFakeEntraSignIn({ tenantId: TENANT, apiClientId: API_CLIENT, person: PERSON });
    entra = fake;
    // The fake signs tokens for now: the host's clock is the real one.
    useServices(
      await testServices({
        clock: { now: () => new Date() },
        settings: { LURE_TENANT_ID: TENANT, LURE_API_CLIENT_ID: API_CLIENT, LURE_AUTHORITY_HOST: fake.url },
      }),
    );
    host = await startFunctionsHost();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    await entra?.close();
    useServices(undefined);
  });

  it('with the authorization code and PKCE, calls the API with the token, and signs out', async () => {
    assert.ok(browser !== undefined && host !== undefined && entra !== undefined);
    // The fake's certificate is the loopback test certificate, which this browser has no reason to trust.
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    const calls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/status')) calls.push(request.headers()['authorization'] ?? '');
    });
    await page.goto(`${host.url}/`);
    await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
    await page.getByRole('heading', { name: 'Open incidents' }).waitFor();
    assert.deepEqual(entra.events, ['authorize (S256)', 'token (PKCE verified)']);
    assert.match(await page.locator('header').innerText(), /analyst@contoso\.example/);
    assert.match(calls[0] ?? '', /^Bearer eyJ/, 'the API was called with the access token');
    assert.doesNotMatch(page.url(), /code=|token=/, 'nothing of the sign-in stays in the address bar');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).waitFor();
    assert.deepEqual(entra.events, ['authorize (S256)', 'token (PKCE verified)', 'logout']);
  });
});
