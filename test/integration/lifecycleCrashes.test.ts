import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ApplicationDecoy, MailItemDecoy, UserDecoy } from '../../src/domain/decoys.js';
import type { Directory } from '../../src/ports/directory.js';
import { ABANDONED_AFTER_IN_MINUTES } from '../../src/app/decoys/reconciler.js';
import { useAzurite } from '../helpers/azurite.js';
import { Crash, type CrashPlan, dyingAfter, NO_CATCH_BLOCKS } from '../helpers/crashPlan.js';
import type { FakeGraph, FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { movableClock } from '../helpers/services.js';
import { DECOY_MAILBOX, azuriteStore, fakeTenantDirectory, tenantServices, useFakeTenant } from '../helpers/tenant.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';

const azurite = useAzurite();

describe('lifecycle crash injection: killed after every journal step and every Graph call, the next timer run converges', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
  });

  const clock = movableClock('2026-11-28T12:00:00.000Z');
  /** Services whose store and directory die at the planned point (or never, with `at` 0). */
  const dyingServices = (store: StateStore, plan: CrashPlan) =>
    tenantServices({
      store: dyingAfter(store, ['createJournalEntry', 'updateJournalEntry'], plan, 'journal'),
      directory: dyingAfter<Directory>(fakeTenantDirectory(graph, login), 'all', plan, 'graph'),
      clock,
      settings: { LURE_DECOY_KEPT_SECRETS: '2', LURE_DECOY_KEPT_MESSAGES: '1' },
    });
  /** The next timer run, once the dead run's operation counts as abandoned. */
  const nextTimerRun = async (store: StateStore) => {
    clock.advance((ABANDONED_AFTER_IN_MINUTES + 1) * 60_000);
    return (await dyingServices(store, { at: 0, count: 0 })).rotateDecoys();
  };

  /** What the tenant and the registry hold for an app decoy carried by a mail decoy, checked for agreement. */
  async function assertConverged(store: StateStore, appDecoyId: string, carrierId: string, context: string): Promise<void> {
    const app = (await store.getDecoy(appDecoyId))!.value as ApplicationDecoy;
    const carrier = (await store.getDecoy(carrierId))!.value as MailItemDecoy;
    const credentials = graph.applications.get(app.objectId!)!.passwordCredentials;
    assert.equal(credentials.length, 2, `${context}: the kept generations of secrets, no more`);
    assert.deepEqual(
      app.credentialKeyIds,
      credentials.map((credential) => credential.keyId),
      `${context}: the registry agrees with the tenant`,
    );
    const lifecycle = (await store.getDecoyLifecycle(appDecoyId))!;
    assert.deepEqual(
      lifecycle.generations.map((generation) => generation.kind === 'clientSecret' && generation.keyId),
      app.credentialKeyIds,
      `${context}: lifecycle agrees`,
    );
    assert.equal(lifecycle.nextRotationAt, undefined, `${context}: a decoy without an interval is not left due`);
    const messages = [...graph.mailboxes.get(DECOY_MAILBOX)!.get(carrier.folderId!)!.messages.values()];
    assert.equal(messages.length, 1, `${context}: one carrier message`);
    assert.equal(carrier.itemId, messages[0]!.id, `${context}: the registry names the message that is there`);
    const planted = graph.secrets.find((secret) => messages[0]!.body.includes(secret));
    assert.ok(
      planted !== undefined && credentials.some((credential) => credential.hint === planted.slice(0, 3)),
      `${context}: the carrier holds a secret that still works`,
    );
    const unfinished = (await store.listJournalEntries('1970-01-01T00:00:00.000Z')).filter((entry) => entry.step !== 'finished');
    assert.deepEqual(unfinished, [], `${context}: nothing unfinished`);
  }

  it('rotation of an app whose secret a decoy message carries', async () => {
    const outcomes = new Set<string>();
    let points: number;
    for (let at = 1; ; at += 1) {
      const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
      const setup = await dyingServices(store, { at: 0, count: 0 });
      await setup.lifecycles.create({ kind: 'mailItem', id: 'carrier', mailbox: DECOY_MAILBOX, folderName: `Crash ${at}` });
      await setup.lifecycles.create({ kind: 'application', id: 'app', placements: [{ kind: 'mailItem', decoyId: 'carrier' }] });
      await setup.lifecycles.rotate('app');
      await assertConverged(store, 'app', 'carrier', `before crash ${at}`);

      const plan: CrashPlan = { at, count: 0 };
      const doomed = await dyingServices(store, plan);
      try {
        await doomed.lifecycles.rotate('app', 'placements', NO_CATCH_BLOCKS);
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
      }
      const report = await nextTimerRun(store);
      assert.deepEqual(report.failures, [], `after ${plan.hit ?? 'no crash'}`);
      await assertConverged(store, 'app', 'carrier', `after ${plan.hit ?? 'no crash'}`);
      // An undone rotation leaves the decoy due, so the same run rotates it afresh.
      for (const entry of await store.listJournalEntries('1970-01-01T00:00:00.000Z')) if (entry.operation !== 'sweep') outcomes.add(entry.outcome!);
      if (plan.hit === undefined) {
        points = at - 1;
        break;
      }
    }
    // Journal: intent, cloudDone, the heartbeat before registering, registryUpdated, finished; Graph:
    // addPassword, createMessage, translateExchangeIds, removePassword, deleteMessage.
    assert.ok(points >= 10, `crash points exercised: ${points}`);
    assert.deepEqual([...outcomes].sort(), ['completed', 'rolledBack'], 'some crashes are finished, some undone');
  });

  it("creation of an app carried by a decoy message (the secret was the caller's: undone unless registered)", async () => {
    let points: number;
    for (let at = 1; ; at += 1) {
      const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
      const setup = await dyingServices(store, { at: 0, count: 0 });
      const carrier = (await setup.lifecycles.create({ kind: 'mailItem', id: 'carrier', mailbox: DECOY_MAILBOX, folderName: `Create crash ${at}` }))
        .decoy as MailItemDecoy;
      const appsBefore = graph.applications.size;

      const plan: CrashPlan = { at, count: 0 };
      const doomed = await dyingServices(store, plan);
      try {
        await doomed.lifecycles.create({ kind: 'application', id: 'app', placements: [{ kind: 'mailItem', decoyId: 'carrier' }] }, NO_CATCH_BLOCKS);
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
      }
      assert.deepEqual((await nextTimerRun(store)).failures, []);

      const context = `after ${plan.hit ?? 'no crash'}`;
      const registered = (await store.getDecoy('app'))?.value as ApplicationDecoy | undefined;
      const messages = [...graph.mailboxes.get(DECOY_MAILBOX)!.get(carrier.folderId!)!.messages.values()];
      assert.equal(messages.length, 1, `${context}: one carrier message`);
      assert.equal(((await store.getDecoy('carrier'))!.value as MailItemDecoy).itemId, messages[0]!.id, `${context}: carrier registry agrees`);
      if (registered === undefined) {
        assert.equal(graph.applications.size, appsBefore, `${context}: the half-made app was deleted`);
      } else {
        assert.equal(graph.applications.size, appsBefore + 1, context);
        assert.deepEqual(
          graph.applications.get(registered.objectId!)!.passwordCredentials.map((credential) => credential.keyId),
          registered.credentialKeyIds,
          context,
        );
        assert.ok(messages[0]!.body.includes('AZURE_CLIENT_SECRET='), `${context}: the carrier holds the app's secret`);
      }
      assert.deepEqual(
        (await store.listJournalEntries('1970-01-01T00:00:00.000Z')).filter((entry) => entry.step !== 'finished'),
        [],
        context,
      );
      if (plan.hit === undefined) {
        points = at - 1;
        break;
      }
    }
    assert.ok(points >= 10, `crash points exercised: ${points}`);
  });

  it('creation and rotation of a user leave no orphaned user behind', async () => {
    for (let at = 1; ; at += 1) {
      const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
      const usersBefore = graph.users.size;
      const plan: CrashPlan = { at, count: 0 };
      const doomed = await dyingServices(store, plan);
      try {
        await doomed.lifecycles.create({ kind: 'user', id: 'user', rotationIntervalInHours: 24 }, NO_CATCH_BLOCKS);
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
      }
      assert.deepEqual((await nextTimerRun(store)).failures, []);
      const registered = (await store.getDecoy('user'))?.value as UserDecoy | undefined;
      assert.equal(graph.users.size, usersBefore + (registered === undefined ? 0 : 1), `after ${plan.hit ?? 'no crash'}`);
      if (registered !== undefined)
        assert.equal([...graph.users.values()].find((user) => user.id === registered.objectId)?.userPrincipalName, registered.userPrincipalName);
      if (plan.hit === undefined) break;
    }
  });
});
