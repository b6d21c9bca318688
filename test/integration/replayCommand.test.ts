import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import type { Alert } from '../../src/domain/alerts.js';
import { accountedLine, runLure } from '../helpers/cli.js';
import { compareExpected, DECOY_FILE, MIXED_EXPECTED, MIXED_FILE, mixedRecords, summarize } from '../helpers/mixedFixture.js';
import { FIXTURES } from '../helpers/paths.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'lure-replay-'));

function alertsOf(stdout: string): Alert[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Alert);
}

describe('lure replay', () => {
  it('prints each alert once, as one JSON line, and the summary on stderr', async () => {
    const result = await runLure(['replay', '--decoys', DECOY_FILE, MIXED_FILE]);
    assert.equal(result.code, 0, result.stderr);
    const alerts = alertsOf(result.stdout);
    assert.deepEqual(summarize(alerts), [...MIXED_EXPECTED.alerts].sort(compareExpected));
    assert.equal(new Set(alerts.map((alert) => alert.id)).size, alerts.length);
    assert.deepEqual(accountedLine(result.stderr), {
      accepted: MIXED_EXPECTED.accepted,
      skipped: MIXED_EXPECTED.read - MIXED_EXPECTED.accepted,
      read: MIXED_EXPECTED.read,
    });
    assert.match(result.stderr, /^alerts 9: decoy\.application\.signIn 1, decoy\.file\.accessed 1, decoy\.mailItem\.accessed 2/m);
    assert.match(result.stderr, /malformed-json 1 \[dead-lettered\]/);
    // A SharePoint record's token joins the issuance check as its own source.
    assert.match(result.stderr, /^ {2}sharepoint app unknown: 0\/1 matched an issuance/m);
    // The attacker's address links the decoy-user sign-ins, the decoy message and file read and the honeytoken.
    assert.match(result.stderr, /^incidents 5$/m);
    assert.match(
      result.stderr,
      /^ {2}inc-[0-9a-f]{24} critical: 4 alerts \(decoy\.file\.accessed, decoy\.mailItem\.accessed, decoy\.token\.used, decoy\.user\.signIn\)/m,
    );
    for (const alert of alerts) {
      for (const [field, value] of Object.entries(alert))
        assert.ok(value !== null && value !== '', `${field} of ${alert.id} is omitted, not empty, when it does not apply`);
      assert.equal('decoyId' in alert, alert.detection.startsWith('decoy.'), 'decoyId only on decoy alerts');
      assert.equal('incidentId' in alert, alert.status !== 'suppressed', 'every notified alert belongs to an incident');
    }
  });

  it('detects the framing of each file: Event Hub message, JSON array, NDJSON', async () => {
    const records = mixedRecords().filter((record) => typeof record !== 'string');
    const envelope = path.join(scratch, 'envelope.json');
    const array = path.join(scratch, 'array.json');
    const ndjson = path.join(scratch, 'records.ndjson');
    writeFileSync(envelope, JSON.stringify({ records }, null, 2));
    writeFileSync(array, JSON.stringify(records));
    writeFileSync(ndjson, records.map((record) => JSON.stringify(record)).join('\r\n'));
    const outputs = await Promise.all([envelope, array, ndjson].map((file) => runLure(['replay', '--decoys', DECOY_FILE, file])));
    for (const output of outputs) {
      assert.equal(output.code, 0, output.stderr);
      assert.deepEqual(summarize(alertsOf(output.stdout)), [...MIXED_EXPECTED.alerts].sort(compareExpected));
      assert.equal(accountedLine(output.stderr).read, records.length);
    }
  });

  it('takes settings from --config over the environment', async () => {
    const config = path.join(scratch, 'config.json');
    writeFileSync(config, JSON.stringify({ LURE_DEDUPE_BUCKET_IN_MINUTES: 1 }));
    const result = await runLure(['replay', '--config', config, '--decoys', DECOY_FILE, MIXED_FILE]);
    assert.equal(result.code, 0, result.stderr);
    // The two decoy-user sign-ins (08:14 and 08:16) now fall in different one-minute buckets.
    const userAlerts = alertsOf(result.stdout).filter((alert) => alert.decoyId === 'd-user-1' && alert.detection === 'decoy.user.signIn');
    assert.deepEqual(
      userAlerts.map((alert) => alert.count),
      [1, 1],
    );
  });

  it('loads --jwks files (repeatable) and refuses one that is not a JWKS', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwks = path.join(scratch, 'keys.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig' }] }));
    const ok = await runLure(['replay', '--jwks', jwks, '--jwks', jwks, MIXED_FILE]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /signing keys loaded 2/);

    // With keys loaded, a token naming any other key is anomalous; one naming a loaded key is not.
    const tenant = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const observation = (kid: string) => ({
      time: '2026-11-02T13:00:00Z',
      category: 'TokenObservation',
      properties: {
        jwt: `${part({ alg: 'RS256', kid })}.${part({ iss: `https://login.microsoftonline.com/${tenant}/v2.0`, tid: tenant, iat: 1793696400 })}.`,
        observer: 'apim',
      },
    });
    const tokens = path.join(scratch, 'tokens.ndjson');
    writeFileSync(
      tokens,
      [observation('k1'), observation('unpublishedKid'), observation('1LTMzakihiRla_8z2BEJVXeWMqo')].map((record) => JSON.stringify(record)).join('\n'),
    );
    const judged = await runLure(['replay', '--jwks', jwks, tokens]);
    assert.equal(judged.code, 0, judged.stderr);
    const anomalies = alertsOf(judged.stdout).filter((alert) => alert.detection === 'token.signingKey.anomalous');
    assert.deepEqual(anomalies.map((alert) => [alert.token?.kid, alert.severity]).sort(), [
      ['1LTMzakihiRla_8z2BEJVXeWMqo', 'critical'],
      ['unpublishedKid', 'high'],
    ]);
    const notJwks = path.join(scratch, 'not-jwks.json');
    writeFileSync(notJwks, JSON.stringify({ metadata: {} }));
    const bad = await runLure(['replay', '--jwks', notJwks, MIXED_FILE]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not-jwks\.json: JWKS\.keys/);
  });

  it('exits 2 with a clear error, printing no alert, when a file is missing', async () => {
    const result = await runLure(['replay', '--decoys', DECOY_FILE, MIXED_FILE, path.join(scratch, 'missing.ndjson')]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /missing\.ndjson: no such file or not readable/);
  });

  it('exits 2 naming the field when the decoy file is invalid', async () => {
    const decoys = path.join(scratch, 'bad-decoys.json');
    writeFileSync(decoys, JSON.stringify({ decoys: [{ id: 'd-1', kind: 'user', userPrincipalName: 'not a upn' }] }));
    const result = await runLure(['replay', '--decoys', decoys, MIXED_FILE]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad-decoys\.json: decoys\[0\]\.userPrincipalName: must be a user principal name/);
  });

  it("lists the local host's settings under lure start --help", async () => {
    const result = await runLure(['start', '--help']);
    assert.equal(result.code, 0, result.stderr);
    for (const name of ['LURE_STORE', 'LURE_DATA_DIR', 'LURE_INBOX_DIR', 'LURE_INBOX_SETTLE_IN_MILLISECONDS', 'LURE_API_PORT', 'LURE_DEMO'])
      assert.match(result.stdout, new RegExp(`^  ${name} `, 'm'), name);
  });

  it('prints its version', async () => {
    const result = await runLure(['--version']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), (JSON.parse(readFileSync(path.join(FIXTURES, '..', '..', 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('warns, exiting 0, when no record was accepted, and says when no decoys were loaded', async () => {
    const garbage = path.join(scratch, 'garbage.ndjson');
    writeFileSync(garbage, 'garbage\n{not json\n');
    const result = await runLure(['replay', garbage]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: no record of this file was accepted/);
    assert.match(result.stderr, /no --decoys file, so no decoy hit can be found/);
    const withDecoys = await runLure(['replay', '--decoys', DECOY_FILE, MIXED_FILE]);
    assert.doesNotMatch(withDecoys.stderr, /warning|no --decoys/);
  });

  it('exits 2 on a bad setting and on a usage error', async () => {
    const config = path.join(scratch, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ LURE_DEDUPE_BUCKET_IN_MINUTES: 0 }));
    const badSetting = await runLure(['replay', '--config', config, MIXED_FILE]);
    assert.equal(badSetting.code, 2);
    assert.match(badSetting.stderr, /LURE_DEDUPE_BUCKET_IN_MINUTES: must be at least 1/);
    const misspelled = path.join(scratch, 'misspelled-config.json');
    writeFileSync(misspelled, JSON.stringify({ LURE_DEDUPE_BUCKET_IN_MINUTE: 5 }));
    const typo = await runLure(['replay', '--config', misspelled, MIXED_FILE]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /misspelled-config\.json: LURE_DEDUPE_BUCKET_IN_MINUTE is not a Lure setting/);
    assert.equal(typo.stdout, '');
    const noFiles = await runLure(['replay']);
    assert.equal(noFiles.code, 2);
  });
});

describe('lure replay: token.issuance.missing', () => {
  it('finds exactly the uses whose token ids no sign-in issued, whatever order the records come in', async () => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'replay', 'token.issuance.missing.expected.json'), 'utf8')) as {
      read: number;
      missingTokens: string[];
    };
    const result = await runLure(['replay', path.join(FIXTURES, 'replay', 'token.issuance.missing.ndjson')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(accountedLine(result.stderr).read, expected.read);
    const missing = alertsOf(result.stdout).filter((alert) => alert.detection === 'token.issuance.missing');
    assert.deepEqual([...new Set(missing.map((alert) => alert.token?.uniqueTokenId))].sort(), [...expected.missingTokens].sort());
    assert.equal(alertsOf(result.stdout).length, missing.length, 'nothing else is raised');
    assert.match(result.stderr, /1 issued before the index covered them \(not judged\)/);
    assert.match(result.stderr, /1 not judged \(allowlisted app or source off\)/);
    assert.match(result.stderr, /graph app 7f7f7f7f-1111-4222-8333-444444444444: 0\/6 matched an issuance \(0%\)/);
  });
});

describe('lure replay: mail.appId.firstSeen', () => {
  it('reports exactly the apps first seen reading a mailbox after its learning period', async () => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'replay', 'mail.appId.firstSeen.expected.json'), 'utf8')) as {
      read: number;
      firstSeen: { mailbox: string; appId: string }[];
    };
    const result = await runLure(['replay', path.join(FIXTURES, 'replay', 'mail.appId.firstSeen.ndjson')]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(accountedLine(result.stderr).read, expected.read);
    const alerts = alertsOf(result.stdout);
    assert.deepEqual(
      alerts.map((alert) => ({ detection: alert.detection, mailbox: alert.target.mailbox, appId: alert.actor.appId })),
      expected.firstSeen.map((entry) => ({ detection: 'mail.appId.firstSeen', ...entry })),
    );
  });
});
