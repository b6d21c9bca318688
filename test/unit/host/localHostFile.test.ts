import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { claimDataFolder, DataFolderInUseError, findRunningLocalHost } from '../../../src/host/local/localHostFile.js';

describe('the local host file: one Lure per data folder', () => {
  it('refuses a folder a live process holds, naming it, and gives it up on release', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-claim-'));
    const claim = await claimDataFolder(dataDir, new Date('2026-12-06T10:00:00.000Z'));
    await claim.publish({ apiUrl: 'http://127.0.0.1:7071/api', tableConnectionString: 'UseDevelopmentStorage=true' });
    await assert.rejects(claimDataFolder(dataDir), (error: Error) => {
      assert.ok(error instanceof DataFolderInUseError);
      assert.match(error.message, new RegExp(`pid ${process.pid}, started 2026-12-06T10:00:00.000Z, admin API http://127.0.0.1:7071/api`));
      return true;
    });
    assert.deepEqual(await findRunningLocalHost(dataDir), {
      pid: process.pid,
      startedAt: '2026-12-06T10:00:00.000Z',
      apiUrl: 'http://127.0.0.1:7071/api',
      tableConnectionString: 'UseDevelopmentStorage=true',
    });
    await claim.release();
    assert.equal(await findRunningLocalHost(dataDir), undefined);
    await (await claimDataFolder(dataDir)).release();
  });

  it('takes over a folder whose holder is gone (killed, crashed), or whose file is half-written', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lure-claim-'));
    const file = path.join(dataDir, 'local-host.json');
    // A pid no process has: above the kernel's pid_max.
    writeFileSync(file, JSON.stringify({ pid: 2 ** 30, startedAt: '2026-12-01T00:00:00.000Z' }));
    assert.equal(await findRunningLocalHost(dataDir), undefined);
    const claim = await claimDataFolder(dataDir);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid, process.pid);
    await claim.release();
    writeFileSync(file, '{"pid": 12');
    await (await claimDataFolder(dataDir)).release();
    assert.equal(existsSync(file), false);
  });
});
