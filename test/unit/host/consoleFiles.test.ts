import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { consoleFiles } from '../../../src/host/consoleFiles.js';

describe('the console files', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'lure-console-files-'));
  mkdirSync(path.join(directory, 'assets'));
  writeFileSync(path.join(directory, 'index.html'), '<!doctype html><script type="module" src="/assets/app-0123456789ab.js"></script>');
  writeFileSync(path.join(directory, 'assets', 'app-0123456789ab.js'), 'export {};');
  const files = consoleFiles({ directory, loginHost: 'https://login.microsoftonline.us' });

  it('serve the page uncached and hashed assets for a year, each with the security headers', () => {
    const page = files.answer('GET', '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['Cache-Control'], 'no-cache');
    assert.match(page.headers['Content-Security-Policy'] ?? '', /connect-src 'self' https:\/\/login\.microsoftonline\.us;/);
    const script = files.answer('GET', '/assets/app-0123456789ab.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['Content-Type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['Cache-Control'], 'public, max-age=31536000, immutable');
    assert.equal(files.answer('HEAD', '/').body, undefined);
  });

  it('answer 404 for anything else, never a file outside the build, and 405 for a change', () => {
    for (const pathname of ['/assets/../index.html', '/assets/missing.js', '/etc/passwd', '/assets/%2e%2e/x', '/index.htm']) {
      assert.equal(files.answer('GET', pathname).status, 404, pathname);
    }
    assert.equal(files.answer('POST', '/').status, 405);
  });

  it('say the console is not built, rather than failing, when it is not', () => {
    const missing = consoleFiles({ directory: path.join(directory, 'nowhere'), loginHost: 'https://login.microsoftonline.com' });
    const answer = missing.answer('GET', '/');
    assert.equal(answer.status, 503);
    assert.match(String(answer.body), /npm run build/);
  });
});
