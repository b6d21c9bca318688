import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium, or the binary LURE_CHROMIUM names. */
export const CHROMIUM = process.env['LURE_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or false. Without Chromium they are skipped with this reason, so
 * `npm test` says what it left out; CI sets LURE_REQUIRE_BROWSER_TESTS=1, and a missing browser then fails.
 */
export const BROWSER_TESTS_SKIPPED =
  !existsSync(CHROMIUM) && process.env['LURE_REQUIRE_BROWSER_TESTS'] !== '1'
    ? `browser tests need chromium (apt-get install chromium, or LURE_CHROMIUM=<path>): ${CHROMIUM} is absent`
    : false;

/** Starts Chromium headless (as root, as CI runs, it needs no sandbox); fails naming the package when it is absent. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is absent: apt-get install chromium (or LURE_CHROMIUM=<path>)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}
