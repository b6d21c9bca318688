/**
 * The web console in a real Chromium (Debian's `chromium`, driven by playwright-core), against the real
 * local host: `lure start` with its embedded Azurite and demo data, signed in through the link it prints.
 * Without Chromium these tests are skipped with a line saying so; CI sets LURE_REQUIRE_BROWSER_TESTS=1,
 * which makes a missing Chromium a failure instead.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildConsole, type ConsoleBuild } from '../../scripts/buildConsole.js';
import { BROWSER_TESTS_SKIPPED, launchChromium } from '../../scripts/chromium.js';
import { cleanEnvironment, interruptLure, runLure, spawnLure, waitFor } from '../helpers/cli.js';
import { signInRecord } from '../helpers/records.js';

const require = createRequire(import.meta.url);
const DEMO_APP = { appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c', servicePrincipalId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d' };
const ATTACKER_TITLE = '<img src=x onerror=alert(1)>';

/** A sign-in as the demo decoy app, its display name chosen by whoever made the request. */
function decoyAppSignIn(time: string, appDisplayName: string, ipAddress: string): Record<string, unknown> {
  const record = signInRecord({ category: 'ServicePrincipalSignInLogs', time, ...DEMO_APP, ipAddress });
  return { ...record, properties: { ...(record['properties'] as Record<string, unknown>), appDisplayName, servicePrincipalName: appDisplayName } };
}

describe('the console in Chromium', { skip: BROWSER_TESTS_SKIPPED }, () => {
  let browser: Browser | undefined;
  let lure: ReturnType<typeof spawnLure> | undefined;
  let signInLink: string;
  let origin: string;
  let inbox: string;
  let build: ConsoleBuild;
  let environment: NodeJS.ProcessEnv;
  const dialogs: string[] = [];

  before(async () => {
    build = await buildConsole();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-console-'));
    inbox = path.join(dataDir, 'inbox');
    environment = cleanEnvironment({ LURE_DATA_DIR: dataDir });
    const started = spawnLure(['start'], environment);
    lure = started;
    await waitFor(
      () => /demo-scenario\.ndjson: \d+ records/.test(started.output.stderr) && /Console: \S+#code=\S+/.test(started.output.stderr),
      () => started.output.stderr,
    );
    signInLink = /Console: (\S+#code=\S+)/.exec(started.output.stderr)?.[1] ?? '';
    origin = new URL(signInLink).origin;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (lure !== undefined) await interruptLure(lure);
  });

  /** What `lure start` has written on stderr so far. */
  const stderr = () => lure?.output.stderr ?? '';

  async function signedInPage(): Promise<Page> {
    assert.ok(browser !== undefined, 'the browser started');
    const page = await (await browser.newContext()).newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  }

  let admin: Page;

  it('signs in through the printed one-time link, shows the overview fast, and keeps no token in the address bar', async (t) => {
    admin = await signedInPage();
    const started = Date.now();
    await admin.goto(signInLink);
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();
    await admin.getByRole('heading', { name: 'Open incidents' }).waitFor();
    const firstScreenInMs = Date.now() - started;
    assert.equal(new URL(admin.url()).hash, '', 'the code is wiped from the address bar');
    assert.match(await admin.locator('header').innerText(), /Lure\.Admin/);
    const gzipped = Object.values(build.sizes).reduce((total, size) => total + size.gzipped, 0);
    t.diagnostic(`console first screen: ${firstScreenInMs} ms on the demo data; ${Math.round(gzipped / 1024)} KB gzipped`);
    assert.ok(gzipped < 300 * 1024, `the console adds ${gzipped} bytes gzipped`);
  });

  it('refuses the same link a second time', async () => {
    const again = await signedInPage();
    await again.goto(signInLink);
    await again.getByRole('heading', { name: 'Sign in to the local Lure' }).waitFor();
  });

  it('shows the demo incident with its alerts on the timeline', async () => {
    await admin.goto(`${origin}/#/incidents`);
    const incident = admin.locator('table a').first();
    await incident.waitFor();
    await incident.click();
    await admin.getByRole('heading', { name: 'Timeline' }).waitFor();
    assert.ok((await admin.locator('ol.timeline li').count()) >= 2, 'the incident joins several alerts');
    await admin.getByRole('img', { name: "The incident's alerts by event time and severity" }).waitFor();
    await admin.getByRole('heading', { name: 'What to do now' }).waitFor();
    const signInLogs = admin.getByRole('link', { name: 'Sign-in logs' });
    assert.match((await signInLogs.getAttribute('href')) ?? '', /^https:\/\/entra\.microsoft\.com\//, 'the public cloud portal');
  });

  it('acknowledges the incident with a note, and so its alerts', async () => {
    await admin.getByLabel('Note').fill('whole attack: on it');
    await admin.getByRole('button', { name: 'Acknowledge' }).click();
    await admin
      .getByRole('status')
      .filter({ hasText: /^Acknowledged: [1-9]\d* alerts changed/ })
      .waitFor();
    await admin.getByText(/^acknowledged by .*: whole attack: on it$/).waitFor();
    assert.equal(
      await admin
        .locator('ol.timeline .status')
        .filter({ hasText: /^open$/ })
        .count(),
      0,
      'no alert of it is left open',
    );
  });

  it('acknowledges an alert with a note, and the audit trail shows it', async () => {
    await admin.goto(`${origin}/#/alerts`);
    await admin.locator('table a').first().click();
    await admin.getByRole('heading', { name: 'What to do now' }).waitFor();
    await admin.getByLabel('Note').fill('looking into it from the console');
    await admin.getByRole('button', { name: 'Acknowledge' }).click();
    await admin.getByRole('status').filter({ hasText: 'Acknowledged.' }).waitFor();
    await admin.goto(`${origin}/#/audit`);
    await admin.getByRole('cell', { name: 'alert.acknowledge' }).waitFor();
  });

  it("shows an attacker's markup as text and runs none of it", async () => {
    writeFileSync(
      path.join(inbox, 'attacker.json'),
      JSON.stringify({ records: [decoyAppSignIn('2026-12-07T01:00:00.000Z', ATTACKER_TITLE, '198.51.100.66')] }),
    );
    await waitFor(() => stderr().includes('attacker.json'), stderr);
    await admin.goto(`${origin}/#/alerts`);
    const title = admin.getByRole('link', { name: `Sign-in as decoy application ${ATTACKER_TITLE}` });
    await title.waitFor();
    assert.equal(await admin.locator('main img').count(), 0, 'no element was made from the text');
    assert.deepEqual(dialogs, [], 'no script ran');
  });

  it("tells an admin acting on a stale view that someone changed the decoy, and keeps the other admin's change", async () => {
    await admin.goto(`${origin}/#/decoys`);
    await admin.getByRole('button', { name: 'Disable d-user-1' }).waitFor();
    // Another admin changes the decoy's memo through the API after this page loaded it.
    const token = (await runLure(['dev-token', '--role', 'Lure.Admin'], environment)).stdout.trim();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const read = await fetch(`${origin}/api/decoys/d-user-1`, { headers });
    const changed = await fetch(`${origin}/api/decoys/d-user-1`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': read.headers.get('etag') ?? '' },
      body: JSON.stringify({ memo: 'kept by the other admin' }),
    });
    assert.equal(changed.status, 200);
    await admin.getByRole('button', { name: 'Disable d-user-1' }).click();
    await admin.getByRole('status').filter({ hasText: 'Someone changed d-user-1 since this page loaded it' }).waitFor();
    await admin.getByRole('cell', { name: 'kept by the other admin' }).waitFor();
    const after = (await (await fetch(`${origin}/api/decoys/d-user-1`, { headers })).json()) as { decoy: { enabled: boolean; memo?: string } };
    assert.deepEqual([after.decoy.enabled, after.decoy.memo], [true, 'kept by the other admin']);
  });

  it('disables a decoy with a memo, and a hit on it afterwards is suppressed', async () => {
    await admin.goto(`${origin}/#/decoys`);
    await admin.getByLabel('Memo for d-app-1').fill('pen test this week');
    await admin.getByRole('button', { name: 'Disable d-app-1' }).click();
    await admin.getByRole('status').filter({ hasText: 'd-app-1 disabled.' }).waitFor();
    writeFileSync(
      path.join(inbox, 'pen-test.json'),
      JSON.stringify({ records: [decoyAppSignIn('2026-12-07T01:30:00.000Z', 'pen test runner', '203.0.113.99')] }),
    );
    await waitFor(() => stderr().includes('suppressed hit on disabled decoy d-app-1'), stderr);
    await admin.goto(`${origin}/#/alerts`);
    await admin.getByLabel('Status').selectOption('suppressed');
    const penTest = admin.getByRole('link', { name: 'Sign-in as decoy application pen test runner' });
    await penTest.waitFor();
    // The time filter narrows by event time: a window before the hit leaves it out.
    await admin.getByLabel('To').fill('2026-12-07T00:00');
    await penTest.waitFor({ state: 'detached' });
    assert.equal(await penTest.count(), 0, 'the hit at 01:30 is after the window');
  });

  it('creates a honeytoken and shows its material once, with the warning', async () => {
    await admin.goto(`${origin}/#/decoys`);
    await admin.getByLabel('Id').fill('d-token-console');
    await admin.getByRole('button', { name: 'Create' }).click();
    const material = admin.getByRole('region', { name: 'Lure material' });
    await material.waitFor();
    assert.match(await material.innerText(), /you will not see it again/);
    assert.match(await material.innerText(), /eyJ/);
    await admin.reload();
    await admin.getByRole('cell', { name: 'd-token-console', exact: true }).waitFor();
    assert.equal(await admin.getByRole('region', { name: 'Lure material' }).count(), 0);
    // A rotation mints the next honeytoken, shown once the same way.
    await admin.getByRole('button', { name: 'Rotate d-token-console' }).click();
    await admin.getByRole('status').filter({ hasText: 'd-token-console rotated.' }).waitFor();
    await admin.getByRole('region', { name: 'Lure material' }).waitFor();
  });

  it('passes axe-core on every page in light and dark, and no page is wider than a 1366x768 laptop screen', async () => {
    assert.ok(browser !== undefined);
    const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
    const token = (await runLure(['dev-token', '--role', 'Lure.Admin'], environment)).stdout.trim();
    const found: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme })).newPage();
      await page.goto(`${origin}/`);
      await page.getByLabel('Token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Open incidents' }).waitFor();
      const listed = await fetch(`${origin}/api/incidents`, { headers: { authorization: `Bearer ${token}` } });
      const incident = ((await listed.json()) as { items: { id: string; alertIds: string[] }[] }).items[0]!;
      const routes = ['overview', 'incidents', `incidents/${incident.id}`, 'alerts', `alerts/${incident.alertIds[0]!}`, 'decoys', 'audit', 'dead-letters'];
      for (const route of routes) {
        await page.goto(`${origin}/#/${route}`);
        await page.locator('main h1').waitFor();
        await page.locator('main', { hasText: 'Loading…' }).waitFor({ state: 'detached' });
        // Evaluated through the debugging protocol, which the page's policy does not govern.
        await page.evaluate(axe);
        // Strings, not functions: these run in the page, whose DOM types this project does not compile against.
        const violations = await page.evaluate<string[]>(
          'axe.run(document).then((result) => result.violations.map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(" ")).join(", ")}`))',
        );
        found.push(...violations.map((violation) => `${colorScheme} #/${route} ${violation}`));
        const width = await page.evaluate<number>('document.scrollingElement.scrollWidth');
        if (width > 1366) found.push(`${colorScheme} #/${route}: ${width}px wide`);
      }
      await page.context().close();
    }
    assert.deepEqual(found, []);
  });

  it('tells a Reader a change is refused, and changes nothing', async () => {
    const token = (await runLure(['dev-token', '--role', 'Lure.Reader'], environment)).stdout.trim();
    const reader = await signedInPage();
    await reader.goto(`${origin}/`);
    await reader.getByLabel('Token').fill(token);
    await reader.getByRole('button', { name: 'Sign in' }).click();
    await reader.getByRole('heading', { name: 'Overview' }).waitFor();
    await reader.goto(`${origin}/#/decoys`);
    await reader.getByRole('button', { name: 'Enable d-app-1' }).click();
    await reader
      .getByRole('status')
      .filter({ hasText: /Refused: this route needs the Lure\.Admin app role/ })
      .waitFor();
    await reader.reload();
    await reader.getByRole('button', { name: 'Enable d-app-1' }).waitFor();
  });
});
