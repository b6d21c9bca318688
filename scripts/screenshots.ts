/**
 * Screenshots of the console on the demo data, light and dark: the overview and the demo incident, into
 * screenshots/ (git-ignored). Needs Debian's chromium (LURE_CHROMIUM for another binary).
 *
 *   npm run screenshots
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConsole } from './buildConsole.js';
import { launchChromium } from './chromium.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'screenshots');

await buildConsole();
mkdirSync(OUT, { recursive: true });
const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LURE_') && !name.startsWith('AZURE_')));
const lure = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'host', 'cli', 'main.ts'), 'start'], {
  cwd: ROOT,
  env: { ...environment, LURE_API_PORT: '0', LURE_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'lure-screenshots-')) },
});
let stderr = '';
lure.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
try {
  const deadline = Date.now() + 120_000;
  while (!(/demo-scenario\.ndjson: \d+ records/.test(stderr) && /Console: \S+#code=\S+/.test(stderr))) {
    if (Date.now() > deadline || lure.exitCode !== null) throw new Error(`lure start did not come up:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const link = /Console: (\S+#code=\S+)/.exec(stderr)?.[1] ?? '';
  const origin = new URL(link).origin;
  const browser = await launchChromium();
  try {
    // One sign-in: the link's code works once; the dark context takes the same token from the first.
    const light = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await light.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Open incidents' }).waitFor();
    const token = String(await page.evaluate("sessionStorage.getItem('lure.localToken')"));
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    await dark.addInitScript({ content: `sessionStorage.setItem('lure.localToken', ${JSON.stringify(token)})` });
    for (const [scheme, context] of [
      ['light', light],
      ['dark', dark],
    ] as const) {
      const tab = scheme === 'light' ? page : await context.newPage();
      await tab.goto(`${origin}/#/overview`);
      await tab.getByRole('heading', { name: 'Open incidents' }).waitFor();
      await tab.waitForTimeout(300);
      await tab.screenshot({ path: path.join(OUT, `console-overview-${scheme}.png`), fullPage: false });
      await tab.goto(`${origin}/#/incidents`);
      await tab.locator('table a').first().click();
      await tab.getByRole('heading', { name: 'Timeline' }).waitFor();
      await tab.waitForTimeout(300);
      await tab.screenshot({ path: path.join(OUT, `console-incident-${scheme}.png`), fullPage: false });
    }
  } finally {
    await browser.close();
  }
  process.stderr.write(`screenshots of the overview and the demo incident, light and dark, in ${path.relative(ROOT, OUT)}/\n`);
} finally {
  lure.kill('SIGINT');
}
