import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { fingerprintOf } from '../../src/decoys/secrets.js';
import type { ApplicationDecoy, MailItemDecoy, TokenDecoy, UserDecoy } from '../../src/domain/decoys.js';
import { LifecycleConflictError } from '../../src/app/decoys/errors.js';
import { ABANDONED_AFTER_IN_MINUTES } from '../../src/app/decoys/reconciler.js';
import type { JournalEntry } from '../../src/domain/lifecycle.js';
import { useAzurite } from '../helpers/azurite.js';
import type { FakeGraph, FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { movableClock } from '../helpers/services.js';
import { DECOY_MAILBOX, azuriteStore, fakeTenantDirectory, secretChangeAuditRecord, tenantServices, useFakeTenant } from '../helpers/tenant.js';
import { ConcurrencyError } from '../../src/ports/store/versioned.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';

const azurite = useAzurite();

describe('decoy lifecycles in a loopback tenant (real Graph client and credential, Azurite store)', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
  });

  const services = async (options: { clock?: ReturnType<typeof movableClock>; settings?: Record<string, string> } = {}) =>
    tenantServices({
      store: await azuriteStore(azurite.connectionString(), azurite.uniquePrefix()),
      directory: fakeTenantDirectory(graph, login),
      ...options,
    });

  it('user: creates an enabled member with a made-up name and a 40-character password, resets it on rotation, deletes it on retirement', async () => {
    const lure = await services();
    const created = await lure.lifecycles.create({ kind: 'user', id: 'd-user-new', memo: 'backup runbook' });
    const decoy = created.decoy as UserDecoy;
    assert.match(decoy.userPrincipalName, /^[a-z]+\.[a-z]+\d*@contoso\.example$/);
    const user = graph.users.get(decoy.objectId!)!;
    assert.equal(user.accountEnabled, true);
    assert.ok(['Backup Operator', 'Payroll Specialist', 'Service Desk Lead', 'Treasury Analyst', 'Systems Engineer'].includes(user.jobTitle!));
    const password = user.passwords[0]!;
    assert.ok(password.length >= 32);
    assert.ok(created.material?.text.includes(password), 'the material carries the password, once');
    const first = (await lure.store.getDecoyLifecycle('d-user-new'))!;
    assert.deepEqual(
      first.generations.map((generation) => generation.kind === 'password' && generation.fingerprint),
      [fingerprintOf(password)],
    );

    const rotated = await lure.lifecycles.rotate('d-user-new');
    assert.equal(user.passwords.length, 2);
    assert.ok(rotated.material?.text.includes(user.passwords[1]!));
    const lifecycle = (await lure.store.getDecoyLifecycle('d-user-new'))!;
    assert.deepEqual(
      lifecycle.generations.map((generation) => generation.kind === 'password' && generation.fingerprint),
      [fingerprintOf(user.passwords[1]!)],
    );

    await lure.lifecycles.retire('d-user-new');
    assert.equal(graph.users.has(decoy.objectId!), false);
    assert.equal(await lure.store.getDecoy('d-user-new'), undefined);
    assert.equal(await lure.store.getDecoyLifecycle('d-user-new'), undefined);
  });

  /** The store, with `hook` run once a create's journal entry first reaches cloudDone: what it made is in the tenant, not yet registered. */
  function beforeRegistering(store: StateStore, hook: () => Promise<void>): StateStore {
    let hooked = false;
    return new Proxy(store, {
      get(target, name) {
        if (name === 'updateJournalEntry') {
          return async (entry: JournalEntry, etag: string) => {
            const next = await target.updateJournalEntry(entry, etag);
            if (entry.operation === 'create' && entry.step === 'cloudDone' && !hooked) {
              hooked = true;
              await hook();
            }
            return next;
          };
        }
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  for (const [overtaker, rival, wanted] of [
    ['its id', { kind: 'user', id: 'd-user-raced', enabled: true, userPrincipalName: 'registered.first@contoso.example' }, 'wanted.one@contoso.example'],
    [
      'the UPN it asked for',
      { kind: 'user', id: 'd-user-rival', enabled: true, userPrincipalName: 'wanted.two@contoso.example' },
      'wanted.two@contoso.example',
    ],
  ] as const) {
    const namesTheUser = overtaker === 'the UPN it asked for';
    it(`user: a create overtaken by a register of ${overtaker} (after its cloud step) answers 409 and keeps the registered decoy; the user it made ${namesTheUser ? 'stays, as that decoy names it' : 'is deleted'}`, async () => {
      // eslint-disable-next-line prefer-const -- declared before the store whose hook calls it, assigned once that store exists
      let lure: Awaited<ReturnType<typeof services>> | undefined;
      const store = beforeRegistering(await azuriteStore(azurite.connectionString(), azurite.uniquePrefix()), () => lure!.registerDecoy(rival));
      lure = await tenantServices({ store, directory: fakeTenantDirectory(graph, login) });
      const usersBefore = new Set(graph.users.keys());
      await assert.rejects(lure.lifecycles.create({ kind: 'user', id: 'd-user-raced', userPrincipalName: wanted }), (error: Error) => {
        assert.ok(error instanceof LifecycleConflictError, String(error));
        assert.match(error.message, namesTheUser ? /wanted\.two@contoso\.example.*stays in the tenant/ : /d-user-raced was registered meanwhile/);
        return true;
      });
      const made = [...graph.users.entries()].filter(([id]) => !usersBefore.has(id)).map(([, user]) => user.userPrincipalName);
      assert.deepEqual(made, namesTheUser ? [wanted] : [], namesTheUser ? 'the registered decoy names the user: it stays' : 'the user the create made is gone');
      assert.deepEqual(await lure.store.listDecoys(), [rival]);
      assert.equal(await lure.store.getDecoyLifecycle('d-user-raced'), undefined);
      const entries = await lure.store.listJournalEntries('2000-01-01T00:00:00.000Z');
      assert.deepEqual(
        entries.map((entry) => [entry.operation, entry.step, entry.outcome]),
        [['create', 'finished', 'rolledBack']],
      );
    });
  }

  it('user: a create that loses every round of the registry to other writers is undone at once, not left for the timer as if its claim were lost', async () => {
    const azure = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
    const contended = new Proxy(azure, {
      get(target, name) {
        if (name === 'upsertDecoys') return async () => Promise.reject(new ConcurrencyError('the decoy registry changed since it was read (scripted)'));
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const lure = await tenantServices({ store: contended, directory: fakeTenantDirectory(graph, login) });
    const usersBefore = new Set(graph.users.keys());
    await assert.rejects(lure.lifecycles.create({ kind: 'user', id: 'd-user-contended' }), /kept changing/);
    assert.deepEqual(
      [...graph.users.keys()].filter((id) => !usersBefore.has(id)),
      [],
      'the user it made is deleted (its password was never handed out)',
    );
    const entries = await lure.store.listJournalEntries('2000-01-01T00:00:00.000Z');
    assert.deepEqual(
      entries.map((entry) => [entry.operation, entry.step, entry.outcome]),
      [['create', 'finished', 'rolledBack']],
    );
    assert.equal(await lure.store.getDecoy('d-user-contended'), undefined);
  });

  it('user: refuses a UPN that already exists (it would take over a real account)', async () => {
    const lure = await services();
    const existing = await fakeTenantDirectory(graph, login).createUser({
      userPrincipalName: 'real.person@contoso.example',
      displayName: 'Real Person',
      mailNickname: 'real.person',
      password: 'x'.repeat(40),
    });
    await assert.rejects(
      lure.lifecycles.create({ kind: 'user', id: 'd-user-clash', userPrincipalName: 'real.person@contoso.example' }),
      /userPrincipalName: real\.person@contoso\.example already exists/,
    );
    assert.equal(graph.users.get(existing.id)?.passwords.length, 1, 'the real account was not touched');
    assert.equal(await lure.store.getDecoy('d-user-clash'), undefined);
  });

  it('application: keeps exactly the kept generations of secrets, in the tenant and in the registry', async () => {
    const lure = await services({ settings: { LURE_DECOY_KEPT_SECRETS: '2' } });
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-new' });
    const decoy = created.decoy as ApplicationDecoy;
    const application = graph.applications.get(decoy.objectId!)!;
    assert.equal(graph.servicePrincipals.get(decoy.appId), decoy.servicePrincipalId);
    assert.match(application.passwordCredentials[0]!.displayName, /^rotation \d{4}-\d{2}-\d{2} [a-z0-9]{10}$/);
    for (let rotation = 0; rotation < 3; rotation += 1) await lure.lifecycles.rotate('d-app-new');
    const registered = (await lure.store.getDecoy('d-app-new'))!.value as ApplicationDecoy;
    assert.equal(application.passwordCredentials.length, 2);
    assert.deepEqual(
      registered.credentialKeyIds,
      application.passwordCredentials.map((credential) => credential.keyId),
    );
    await lure.lifecycles.retire('d-app-new');
    assert.equal(graph.applications.has(decoy.objectId!), false);
  });

  it("application: a registered app keeps its own secrets through rotations and retirement; only Lure's go", async () => {
    const lure = await services({ settings: { LURE_DECOY_KEPT_SECRETS: '2' } });
    const directory = fakeTenantDirectory(graph, login);
    const application = await directory.upsertApplication('customer-owned', 'Customer app');
    const own = await directory.addApplicationPassword(application.id, { displayName: 'planted by hand', endDateTime: '2027-06-01T00:00:00.000Z' });
    await lure.importDecoys([
      { kind: 'application', id: 'd-app-registered', enabled: true, appId: application.appId, objectId: application.id, credentialKeyIds: [own.keyId] },
    ]);
    for (let rotation = 0; rotation < 3; rotation += 1) await lure.lifecycles.rotate('d-app-registered');
    const keyIds = graph.applications.get(application.id)!.passwordCredentials.map((credential) => credential.keyId);
    assert.equal(keyIds.length, 3, "the customer's own secret and Lure's two kept generations");
    assert.ok(keyIds.includes(own.keyId));
    assert.deepEqual(((await lure.store.getDecoy('d-app-registered'))!.value as ApplicationDecoy).credentialKeyIds, keyIds);
    await lure.lifecycles.retire('d-app-registered');
    assert.deepEqual(
      graph.applications.get(application.id)!.passwordCredentials.map((credential) => credential.keyId),
      [own.keyId],
    );
  });

  it('mailItem: plants the message even where translateExchangeIds refuses app-only callers (as Graph documents), keeping the id forms it can derive', async () => {
    const lure = await services();
    const refused = { status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } } };
    graph.fail('POST', /translateExchangeIds$/, refused, refused);
    const created = await lure.lifecycles.create({ kind: 'mailItem', id: 'd-mail-apponly', mailbox: DECOY_MAILBOX, folderName: 'Payroll Exports' });
    const decoy = created.decoy as MailItemDecoy;
    const [message] = [...graph.mailboxes.get(DECOY_MAILBOX)!.get(decoy.folderId!)!.messages.values()];
    assert.equal(decoy.itemId, message!.id);
    assert.equal(decoy.internetMessageId, message!.internetMessageId, 'the id audit records match on first');
    assert.equal(decoy.immutableId, undefined);
    assert.deepEqual(
      decoy.alternateItemIds,
      [message!.id.replaceAll('-', '/').replaceAll('_', '+')].filter((id) => id !== message!.id),
    );
    await lure.lifecycles.retire('d-mail-apponly');
  });

  it('mailItem: plants a sent-looking message in a decoy-only folder with every id form, replaces it on rotation', async () => {
    const lure = await services();
    const created = await lure.lifecycles.create({ kind: 'mailItem', id: 'd-mail-new', mailbox: DECOY_MAILBOX, folderName: 'Finance Archive 2019' });
    const decoy = created.decoy as MailItemDecoy;
    const folder = graph.mailboxes.get(DECOY_MAILBOX)!.get(decoy.folderId!)!;
    assert.equal(folder.displayName, 'Finance Archive 2019');
    const [message] = [...folder.messages.values()];
    assert.equal(message!.properties.get('Integer 0x0E07'), '1');
    assert.equal(decoy.itemId, message!.id);
    assert.equal(decoy.internetMessageId, message!.internetMessageId);
    assert.equal(decoy.immutableId, `restImmutableEntryId:${message!.id}`);
    assert.deepEqual(decoy.alternateItemIds, [`ewsId:${message!.id}`, `entryId:${message!.id}`, `immutableEntryId:${message!.id}`]);
    assert.ok(decoy.dedicatedFolder && decoy.alternateFolderIds.includes(`entryId:${decoy.folderId}`));
    assert.equal(created.material, undefined, 'Lure planted the message itself');

    await lure.lifecycles.rotate('d-mail-new');
    const registered = (await lure.store.getDecoy('d-mail-new'))!.value as MailItemDecoy;
    assert.equal(folder.messages.size, 1);
    assert.equal(registered.itemId, [...folder.messages.keys()][0]);
    assert.notEqual(registered.itemId, message!.id);
    await lure.lifecycles.retire('d-mail-new');
    assert.equal(folder.messages.size, 0);
  });

  it('token: mints a honeytoken with the decoy kid and jti, signed by a discarded key; rotation keeps the kid', async () => {
    const lure = await services();
    const created = await lure.lifecycles.create({ kind: 'token', id: 'd-token-new' });
    const decoy = created.decoy as TokenDecoy;
    const token = (await lure.store.getDecoyLifecycle('d-token-new'))!.honeytoken!;
    assert.ok(created.material!.text.includes(token));
    assert.equal(decodeProtectedHeader(token).kid, decoy.kid);
    assert.equal(decodeJwt(token).jti, decoy.jti);
    assert.equal(token.split('.').length, 3);
    await lure.lifecycles.rotate('d-token-new');
    const rotated = (await lure.store.getDecoy('d-token-new'))!.value as TokenDecoy;
    assert.equal(rotated.kid, decoy.kid);
    assert.notEqual(rotated.jti, decoy.jti);
    const requests = graph.requests.length;
    await lure.lifecycles.retire('d-token-new');
    assert.equal(await lure.store.getDecoy('d-token-new'), undefined);
    assert.equal(graph.requests.length, requests, 'a honeytoken lives nowhere in the tenant');
  });

  it('a managed placement is rewritten in the same rotation, and the timer rotates such decoys itself', async () => {
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await services({ clock, settings: { LURE_DECOY_ROTATION_JITTER_PERCENT: '0' } });
    const mail = (await lure.lifecycles.create({ kind: 'mailItem', id: 'd-mail-carrier', mailbox: DECOY_MAILBOX, folderName: 'Carrier' }))
      .decoy as MailItemDecoy;
    const created = await lure.lifecycles.create({
      kind: 'application',
      id: 'd-app-placed',
      rotationIntervalInHours: 24,
      placements: [{ kind: 'mailItem', decoyId: 'd-mail-carrier' }],
    });
    const folder = graph.mailboxes.get(DECOY_MAILBOX)!.get(mail.folderId!)!;
    const application = graph.applications.get((created.decoy as ApplicationDecoy).objectId!)!;
    const secretIn = (body: string) => graph.secrets.find((secret) => body.includes(secret));
    assert.deepEqual(created.placementsRewritten, ['d-mail-carrier']);
    assert.equal(folder.messages.size, 1, 'the carrier holds one message: the one with the secret');
    assert.ok(secretIn([...folder.messages.values()][0]!.body));

    clock.advance(23 * 3_600_000);
    assert.equal((await lure.rotateDecoys()).rotated, 0, 'not due yet');
    clock.advance(2 * 3_600_000);
    const report = await lure.rotateDecoys();
    assert.equal(report.rotated, 1);
    assert.equal(application.passwordCredentials.length, 2);
    const [planted] = [...folder.messages.values()];
    assert.equal(folder.messages.size, 1);
    const newest = application.passwordCredentials.at(-1)!;
    assert.equal(secretIn(planted!.body)?.slice(0, 3), newest.hint, 'the carrier now holds the newest secret');
    const carrier = (await lure.store.getDecoy('d-mail-carrier'))!.value as MailItemDecoy;
    assert.equal(carrier.itemId, planted!.id);
    await assert.rejects(lure.lifecycles.retire('d-mail-carrier'), /carries the lure of d-app-placed/);
  });

  it('a hand-planted decoy is not rotated by the timer: it is marked due once and raises decoy.rotation.due', async () => {
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await services({ clock, settings: { LURE_DECOY_ROTATION_JITTER_PERCENT: '0' } });
    const created = await lure.lifecycles.create({
      kind: 'application',
      id: 'd-app-manual',
      rotationIntervalInHours: 24,
      placements: [{ kind: 'manual', description: 'deploy.ps1 on the build share' }],
    });
    const application = graph.applications.get((created.decoy as ApplicationDecoy).objectId!)!;
    clock.advance(25 * 3_600_000);
    const first = await lure.rotateDecoys();
    assert.equal(first.rotated, 0);
    assert.equal(first.markedDue, 1);
    assert.equal(first.alerts.length, 1);
    assert.equal(first.alerts[0]!.detection, 'decoy.rotation.due');
    assert.match(first.alerts[0]!.summary, /deploy\.ps1 on the build share/);
    assert.equal(application.passwordCredentials.length, 1, 'the planted secret still works');
    clock.advance(3_600_000);
    const second = await lure.rotateDecoys();
    assert.equal(second.markedDue + second.alerts.length, 0, 'one notice per due period');
    await lure.lifecycles.rotate('d-app-manual');
    assert.equal((await lure.store.getDecoyLifecycle('d-app-manual'))!.rotationDueSince, undefined, 'an admin rotation clears it');
  });

  it('rides out 429 with Retry-After, 5xx and a timed-out call that went through, leaving no stray secret, and its sweep raises nothing', async () => {
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await services({ clock, settings: { LURE_DECOY_KEPT_SECRETS: '2' } });
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-flaky' });
    const objectId = (created.decoy as ApplicationDecoy).objectId!;
    graph.fail('POST', /addPassword$/, { status: 429, headers: { 'retry-after': '1' } }, { status: 503 }, { status: 200, passThrough: true, delayInMs: 3_000 });
    await lure.lifecycles.rotate('d-app-flaky');
    const application = graph.applications.get(objectId)!;
    assert.equal(application.passwordCredentials.length, 3, 'the timed-out attempt added a secret nobody holds');
    clock.set('2026-11-28T12:50:00.000Z');
    const report = await lure.rotateDecoys();
    assert.equal(report.swept, 1);
    const registered = (await lure.store.getDecoy('d-app-flaky'))!.value as ApplicationDecoy;
    assert.deepEqual(
      application.passwordCredentials.map((credential) => credential.keyId),
      registered.credentialKeyIds,
    );
    const audit = await lure.ingest(
      [{ records: [secretChangeAuditRecord({ time: '2026-11-28T12:50:02.000Z', applicationObjectId: objectId, actor: 'lure' })] }],
      'entra',
    );
    assert.deepEqual(audit.alerts, [], "the sweep is journaled: its removal is Lure's own change");
  });

  it('hands the material over once the new generation is registered, even if removing an old one fails; the timer finishes that', async () => {
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await services({ clock, settings: { LURE_DECOY_KEPT_SECRETS: '1' } });
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-cleanup' });
    const application = graph.applications.get((created.decoy as ApplicationDecoy).objectId!)!;
    graph.fail('POST', /removePassword$/, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } } });
    const rotated = await lure.lifecycles.rotate('d-app-cleanup');
    assert.ok(graph.secrets.some((secret) => rotated.material?.text.includes(secret)));
    assert.equal(application.passwordCredentials.length, 2, 'the old secret is still there for now');
    clock.advance((ABANDONED_AFTER_IN_MINUTES + 1) * 60_000);
    const report = await lure.rotateDecoys();
    assert.equal(report.finished, 1);
    assert.deepEqual(
      application.passwordCredentials.map((credential) => credential.keyId),
      ((await lure.store.getDecoy('d-app-cleanup'))!.value as ApplicationDecoy).credentialKeyIds,
    );
    assert.equal(application.passwordCredentials.length, 1);
  });

  it('undoes a failed rotation at once, keeping the switch an admin made meanwhile; the decoy is free again straight away', async () => {
    const lure = await services({ settings: { LURE_DECOY_KEPT_SECRETS: '2' } });
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-refused' });
    const application = graph.applications.get((created.decoy as ApplicationDecoy).objectId!)!;
    const before = application.passwordCredentials.map((credential) => credential.keyId);
    graph.fail('POST', /addPassword$/, {
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } },
      delayInMs: 500,
    });
    const failing = lure.lifecycles.rotate('d-app-refused');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const read = (await lure.store.getDecoy('d-app-refused'))!;
    await lure.lifecycles.configure('d-app-refused', { enabled: false, memo: 'pen test' }, read.etag);
    await assert.rejects(failing, /Insufficient privileges|403/);
    const after = (await lure.store.getDecoy('d-app-refused'))!.value as ApplicationDecoy;
    assert.equal(after.enabled, false, 'the undo did not switch the decoy back on');
    assert.equal(after.memo, 'pen test');
    assert.deepEqual(after.credentialKeyIds, before);
    assert.deepEqual(
      application.passwordCredentials.map((credential) => credential.keyId),
      before,
    );
    assert.deepEqual(
      (await lure.store.listJournalEntries('2026-01-01T00:00:00.000Z')).filter((entry) => entry.step !== 'finished'),
      [],
      'nothing left for the timer',
    );
    await lure.lifecycles.rotate('d-app-refused');
    assert.equal(((await lure.store.getDecoy('d-app-refused'))!.value as ApplicationDecoy).enabled, false, 'nor did the next rotation');
  });

  it('two operations racing on one decoy: exactly one goes ahead, the other withdraws before touching the tenant', async () => {
    const lure = await services();
    const usersBefore = graph.users.size;
    for (const kind of ['token', 'user'] as const) {
      const id = `d-${kind}-race`;
      const results = await Promise.allSettled([
        lure.lifecycles.create({ kind, id }),
        lure.lifecycles.create({ kind, id }),
        lure.lifecycles.create({ kind, id }),
      ]);
      assert.equal(
        results.filter((result) => result.status === 'fulfilled').length,
        1,
        JSON.stringify(results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))),
      );
      for (const result of results) if (result.status === 'rejected') assert.match(String(result.reason), /started first|unfinished|already exists/);
      assert.deepEqual(
        (await lure.store.listJournalEntries('2026-01-01T00:00:00.000Z')).filter((entry) => entry.step !== 'finished'),
        [],
      );
    }
    const created = (await lure.store.getDecoy('d-user-race'))!.value as UserDecoy;
    assert.equal(graph.users.size, usersBefore + 1, 'one user made in the tenant, not three');
    assert.ok(graph.users.has(created.objectId!), 'and it is the one registered');
  });

  it('leaves an operation in progress to its run; a run given up for dead cannot write over the one that took over', async () => {
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await services({ clock, settings: { LURE_DECOY_KEPT_SECRETS: '2' } });
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-slow' });
    const application = graph.applications.get((created.decoy as ApplicationDecoy).objectId!)!;
    const before = application.passwordCredentials.map((credential) => credential.keyId);

    graph.fail('POST', /addPassword$/, { status: 200, passThrough: true, delayInMs: 800 });
    const inFlight = lure.lifecycles.rotate('d-app-slow');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const meanwhile = await lure.rotateDecoys();
    assert.equal(meanwhile.rolledBack + meanwhile.finished + meanwhile.swept, 0, 'a fresh operation is left alone');
    await inFlight;
    assert.equal(application.passwordCredentials.length, 2);

    graph.fail('POST', /addPassword$/, { status: 200, passThrough: true, delayInMs: 800 });
    const stalled = lure.lifecycles.rotate('d-app-slow');
    await new Promise((resolve) => setTimeout(resolve, 300));
    clock.advance((ABANDONED_AFTER_IN_MINUTES + 1) * 60_000);
    const takeover = await lure.rotateDecoys();
    assert.equal(takeover.rolledBack, 1, 'the stalled operation counts as abandoned and is undone');
    await assert.rejects(stalled, /changed since it was read/);
    const registered = ((await lure.store.getDecoy('d-app-slow'))!.value as ApplicationDecoy).credentialKeyIds;
    assert.deepEqual(
      application.passwordCredentials.map((credential) => credential.keyId),
      registered,
      'the tenant and the registry agree',
    );
    assert.notDeepEqual(registered, before);
  });

  it("stays silent on Lure's own journaled change; the same change outside the journal is critical, anyone else's is high", async () => {
    const clock = movableClock('2026-11-28T12:00:00.000Z');
    const lure = await services({ clock });
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-audited' });
    const objectId = (created.decoy as ApplicationDecoy).objectId!;
    clock.set('2026-11-28T14:00:00.000Z');
    await lure.lifecycles.rotate('d-app-audited');
    clock.set('2026-11-29T09:00:00.000Z');
    const report = await lure.ingest(
      [
        {
          records: [
            secretChangeAuditRecord({ time: '2026-11-28T14:02:10.000Z', applicationObjectId: objectId, actor: 'lure' }),
            secretChangeAuditRecord({ time: '2026-11-28T20:00:00.000Z', applicationObjectId: objectId, actor: 'lure' }),
            secretChangeAuditRecord({ time: '2026-11-28T14:03:00.000Z', applicationObjectId: objectId, actor: 'admin' }),
          ],
        },
      ],
      'entra',
    );
    assert.deepEqual(report.alerts.map((alert) => [alert.severity, alert.occurredAt]).sort(), [
      ['critical', '2026-11-28T20:00:00.000Z'],
      ['high', '2026-11-28T14:03:00.000Z'],
    ]);
  });

  it('mailItem: refuses a folder that holds real mail (a Sync of it would alert on its owner)', async () => {
    const lure = await services();
    const directory = fakeTenantDirectory(graph, login);
    const folderId = await directory.ensureMailFolder(DECOY_MAILBOX, 'Projects');
    graph.mailboxes
      .get(DECOY_MAILBOX)!
      .get(folderId)!
      .messages.set('AAMkreal1', { id: 'AAMkreal1', internetMessageId: '<real1@x>', subject: 'budget', body: 'numbers', properties: new Map() });
    await assert.rejects(
      lure.lifecycles.create({ kind: 'mailItem', id: 'd-mail-real', mailbox: DECOY_MAILBOX, folderName: 'Projects' }),
      /folderName: Projects in finance-archive@contoso\.example holds 1 messages that are not decoys/,
    );
    assert.equal(graph.mailboxes.get(DECOY_MAILBOX)!.get(folderId)!.messages.size, 1);
  });

  it('refuses bad create requests with the field named, before touching the tenant', async () => {
    const lure = await services();
    const before = graph.requests.length;
    await assert.rejects(lure.lifecycles.create({ kind: 'printer', id: 'x' }), /kind: must be one of user, application, mailItem, token/);
    await assert.rejects(lure.lifecycles.create({ kind: 'mailItem', id: 'd-mail-x' }), /mailbox: /);
    await assert.rejects(lure.lifecycles.create({ kind: 'user', id: 'bad id!' }), /id: must be 1-128 letters/);
    await assert.rejects(
      lure.lifecycles.create({ kind: 'application', id: 'd-app-x', placements: [{ kind: 'mailItem', decoyId: 'nope' }] }),
      /placements: nope must be a mail decoy Lure created/,
    );
    assert.equal(graph.requests.length, before);
  });
});
