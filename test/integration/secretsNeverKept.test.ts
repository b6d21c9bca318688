import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TableServiceClient, TableClient } from '@azure/data-tables';
import type { Timer } from '@azure/functions';
import { rotateDecoys } from '../../functions/rotateDecoys.js';
import type { ApplicationDecoy } from '../../src/domain/decoys.js';
import { useAzurite } from '../helpers/azurite.js';
import { InvocationContext } from '../helpers/azf.js';
import type { FakeGraph, FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { movableClock, recordingLogger } from '../helpers/services.js';
import { DECOY_MAILBOX, azuriteStore, fakeTenantDirectory, secretChangeAuditRecord, tenantServices, useFakeTenant } from '../helpers/tenant.js';
import { useServices } from '../../src/host/services.js';

const azurite = useAzurite();
const TIMER: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

/** Every string Lure wrote to a table with this prefix, chunked documents joined again. */
async function everythingStored(connectionString: string, prefix: string): Promise<string[]> {
  const service = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  const texts: string[] = [];
  for await (const table of service.listTables()) {
    if (table.name === undefined || !table.name.startsWith(prefix)) continue;
    const client = TableClient.fromConnectionString(connectionString, table.name, { allowInsecureConnection: true });
    for await (const entity of client.listEntities()) {
      texts.push(JSON.stringify(entity));
      // Chunked properties (`doc0`, `doc1`, …) could split a secret: join each family in order.
      const families = new Map<string, string[]>();
      for (const [name, value] of Object.entries(entity)) {
        const match = /^(.*?)(\d+)$/.exec(name);
        if (match === null || typeof value !== 'string') continue;
        const parts = families.get(match[1]!) ?? [];
        parts[Number(match[2])] = value;
        families.set(match[1]!, parts);
      }
      for (const parts of families.values()) texts.push(parts.join(''));
    }
  }
  return texts;
}

describe('secrets never reach logs, tables or alerts', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
  });
  after(() => useServices(undefined));

  it('through creation, rotation by hand and by the timer, a stray secret swept, audit records, failures and retirement', async () => {
    const prefix = azurite.uniquePrefix();
    const store = await azuriteStore(azurite.connectionString(), prefix);
    const logger = recordingLogger();
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await tenantServices({
      store,
      directory: fakeTenantDirectory(graph, login),
      logger,
      clock,
      settings: { LURE_DECOY_ROTATION_JITTER_PERCENT: '0' },
    });
    useServices(lure);
    const handedOut: string[] = [];
    const keep = (material: { text: string } | undefined) => material !== undefined && handedOut.push(material.text);

    await lure.lifecycles.create({ kind: 'mailItem', id: 'carrier', mailbox: DECOY_MAILBOX });
    await lure.lifecycles.create({ kind: 'mailItem', id: 'user-carrier', mailbox: DECOY_MAILBOX, folderName: 'HR Archive' });
    keep(
      (await lure.lifecycles.create({ kind: 'user', id: 'user', rotationIntervalInHours: 24, placements: [{ kind: 'mailItem', decoyId: 'user-carrier' }] }))
        .material,
    );
    const app = await lure.lifecycles.create({
      kind: 'application',
      id: 'app',
      rotationIntervalInHours: 24,
      placements: [{ kind: 'mailItem', decoyId: 'carrier' }],
    });
    keep(app.material);
    keep(
      (
        await lure.lifecycles.create({
          kind: 'application',
          id: 'manual',
          rotationIntervalInHours: 24,
          placements: [{ kind: 'manual', description: 'build share' }],
        })
      ).material,
    );
    keep((await lure.lifecycles.create({ kind: 'token', id: 'token' })).material);
    keep((await lure.lifecycles.rotate('user')).material);
    keep((await lure.lifecycles.rotate('app')).material);

    // A rotation whose addPassword went through but timed out: a stray secret for the sweep.
    graph.fail('POST', /addPassword$/, { status: 200, passThrough: true, delayInMs: 3_000 });
    keep((await lure.lifecycles.rotate('manual')).material);
    // A rotation Graph refuses: its failure is logged.
    graph.fail('PATCH', /^\/users\//, {
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
    });
    clock.advance(25 * 3_600_000);
    const logs: string[] = [];
    await rotateDecoys(
      TIMER,
      new InvocationContext({ invocationId: 'r', functionName: 'rotateDecoys', logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')) }),
    );
    assert.ok(
      logs.some((line) => line.includes('"swept":1,"failures":1,"rotated":1,"markedDue":1')),
      logs.join('\n'),
    );
    assert.ok(
      logger.lines.some((line) => line.includes('decoy rotation failed') && line.includes('Authorization_RequestDenied')),
      'the refused rotation was logged',
    );

    const objectId = ((await store.getDecoy('app'))!.value as ApplicationDecoy).objectId!;
    const ingested = await lure.ingest(
      [{ records: [secretChangeAuditRecord({ time: '2026-11-29T13:00:30.000Z', applicationObjectId: objectId, actor: 'admin' })] }],
      'entra',
    );
    assert.equal(ingested.alerts.length, 1);
    await lure.lifecycles.retire('manual');

    // The scan is only worth something if the secrets existed and were handed out.
    assert.ok(graph.secrets.length >= 8, `secrets made: ${graph.secrets.length}`);
    assert.ok(graph.secrets.filter((secret) => handedOut.some((text) => text.includes(secret))).length >= 5, 'the materials carried the secrets');

    const alerts: string[] = [];
    for await (const stored of store.listAlerts()) alerts.push(JSON.stringify(stored));
    assert.ok(alerts.length >= 2);
    const written = [...logger.lines, ...logs, ...alerts, ...(await everythingStored(azurite.connectionString(), prefix))];
    assert.ok(written.length > 20);
    for (const secret of graph.secrets) {
      const leak = written.find((text) => text.includes(secret));
      assert.equal(leak, undefined, `a secret (hint ${secret.slice(0, 3)}) was written: ${leak?.slice(0, 200)}`);
    }
  });
});
