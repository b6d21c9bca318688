import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sendEventFiles } from '../../../src/app/sendEvents.js';
import type { EventPublisher, PublishOutcome } from '../../../src/ports/eventPublisher.js';
import { cleanEnvironment, runLure } from '../../helpers/cli.js';
import { DECOY_FILE, MIXED_FILE } from '../../helpers/mixedFixture.js';
import { testServices } from '../../helpers/services.js';
import { parseDecoyFile } from '../../../src/decoys/parseDecoys.js';
import { readFileSync } from 'node:fs';

class RecordingHub implements EventPublisher {
  readonly events: unknown[] = [];
  readonly calls: string[] = [];
  publish(hub: string, events: readonly unknown[]): Promise<PublishOutcome> {
    this.calls.push(hub);
    this.events.push(...events);
    return Promise.resolve({ tooLarge: [] });
  }
  async close(): Promise<void> {}
}

describe('lure send', () => {
  it('sends what the sources would, so the functions raise exactly what replay raises from the file', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'lure-send-'));
    const envelope = path.join(directory, 'envelope.json');
    const lines = readFileSync(MIXED_FILE, 'utf8').trim().split('\n');
    const records = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
    const enveloped = records.slice(0, 7);
    writeFileSync(envelope, JSON.stringify({ records: enveloped }));
    const broken = path.join(directory, 'broken.ndjson');
    writeFileSync(broken, '{"time": "2026-11-02T08:00:00Z", "category": "SignInLogs"\nnot json at all\n');
    const hub = new RecordingHub();
    const report = await sendEventFiles(hub, 'exchange-hub', [MIXED_FILE, envelope, broken]);
    assert.deepEqual(new Set(hub.calls), new Set(['exchange-hub']));
    assert.equal(report.records, lines.length + enveloped.length + 2);

    const decoys = parseDecoyFile(JSON.parse(readFileSync(DECOY_FILE, 'utf8')));
    const viaHub = await testServices({ decoys });
    const ingested = await viaHub.ingest(hub.events, 'exchange');
    const direct = await (
      await testServices({ decoys })
    ).ingest([...lines, { records: enveloped }, '{"time": "2026-11-02T08:00:00Z", "category": "SignInLogs"', 'not json at all'], 'files');
    assert.equal(ingested.read, direct.read, 'every record arrives, the broken lines as records to dead-letter');
    assert.equal(ingested.deadLettered, direct.deadLettered);
    assert.ok(ingested.deadLettered >= 2);
    assert.deepEqual(ingested.accepted, direct.accepted);
    assert.deepEqual(ingested.alerts.map((alert) => alert.id).sort(), direct.alerts.map((alert) => alert.id).sort());
    assert.ok(ingested.alerts.length > 0);
  });

  it('keeps each event well under the 1 MB an Event Hub message may be, however large the records', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'lure-send-big-'));
    const file = path.join(directory, 'big.json');
    const bulky = Array.from({ length: 100 }, (_, index) => ({
      time: '2026-11-28T11:00:00Z',
      category: 'NonInteractiveUserSignInLogs',
      properties: { id: `r${index}`, padding: 'x'.repeat(20_000) },
    }));
    writeFileSync(file, JSON.stringify({ records: bulky }));
    const hub = new RecordingHub();
    const report = await sendEventFiles(hub, 'entra', [file]);
    assert.equal(report.records, 100);
    assert.ok(hub.events.length >= 8, `${hub.events.length} events`);
    assert.ok(hub.events.every((event) => Buffer.byteLength(JSON.stringify(event)) < 300 * 1024));
    assert.deepEqual(
      hub.events.flatMap((event) => (event as { records: { properties: { id: string } }[] }).records.map((record) => record.properties.id)),
      bulky.map((record) => record.properties.id),
    );
  });

  it('says which setting is missing when there is no hub to send to', async () => {
    const result = await runLure(['send', '--hub', 'entra', MIXED_FILE], cleanEnvironment());
    assert.equal(result.code, 2);
    assert.match(result.stderr, /LURE_EVENTHUB__fullyQualifiedNamespace/);
  });
});
