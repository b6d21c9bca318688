import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import readXlsxFile from 'read-excel-file/node';
import type { ApplicationDecoy, FileDecoy } from '../../src/domain/decoys.js';
import { LifecycleConflictError } from '../../src/app/decoys/errors.js';
import { ABANDONED_AFTER_IN_MINUTES } from '../../src/app/decoys/reconciler.js';
import { DecoyValidationError } from '../../src/decoys/parseDecoys.js';
import type { Directory } from '../../src/ports/directory.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import { useAzurite } from '../helpers/azurite.js';
import { Crash, type CrashPlan, dyingAfter, NO_CATCH_BLOCKS } from '../helpers/crashPlan.js';
import type { FakeDrive, FakeGraph, FakeSite, FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { movableClock } from '../helpers/services.js';
import { azuriteStore, fakeTenantDirectory, LURE_APP_ID, tenantServices, useFakeTenant } from '../helpers/tenant.js';

const azurite = useAzurite();

/** The sheets of a workbook as a parser reads them: fails unless the bytes are a real .xlsx. */
async function sheetsOf(content: Buffer): Promise<Map<string, string[][]>> {
  const sheets = await readXlsxFile(content);
  return new Map(sheets.map(({ sheet, data }) => [sheet, data.map((row) => row.map((cell) => String(cell ?? '')))]));
}

function passwordsOf(sheets: Map<string, string[][]>): string[] {
  const [header, ...rows] = sheets.get('Accounts') ?? [];
  const column = header?.indexOf('Password') ?? -1;
  assert.ok(column >= 0, 'the Accounts sheet has a Password column');
  return rows.map((row) => row[column] ?? '');
}

describe('file decoys in a loopback tenant (real Graph client, Azurite store)', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  let site: FakeSite;
  let library: FakeDrive;
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
    site = graph.addSite('https://contoso.sharepoint.com/sites/finance', [
      { name: 'Documents', urlName: 'Shared Documents' },
      { name: 'Board Packs', urlName: 'Board Packs' },
    ]);
    library = site.drives[0]!;
  });

  const clock = movableClock('2026-12-01T09:00:00.000Z');
  const services = async (store?: StateStore, directory?: Directory) =>
    tenantServices({
      store: store ?? (await azuriteStore(azurite.connectionString(), azurite.uniquePrefix())),
      directory: directory ?? fakeTenantDirectory(graph, login),
      clock,
    });

  it('creates a real workbook in the named library and folder, and registers every id form of it', async () => {
    const lure = await services();
    const created = await lure.lifecycles.create({
      kind: 'file',
      id: 'd-file-payroll',
      siteUrl: 'https://contoso.sharepoint.com/sites/finance/',
      folderPath: 'Payroll/2026',
      fileName: 'Q3 payroll export.xlsx',
    });
    const decoy = created.decoy as FileDecoy;
    const item = library.items.get(decoy.itemId!);
    assert.ok(item !== undefined, 'the file is in the default library');
    assert.deepEqual(decoy, {
      kind: 'file',
      id: 'd-file-payroll',
      enabled: true,
      siteUrl: 'https://contoso.sharepoint.com/sites/finance',
      driveId: library.id,
      itemId: item.id,
      listItemUniqueId: item.listItemUniqueId,
      fileName: 'Q3 payroll export.xlsx',
      serverRelativeUrl: '/sites/finance/Shared Documents/Payroll/2026/Q3 payroll export.xlsx',
    });
    assert.equal(item.parentPath, '/Payroll/2026');
    assert.equal(created.material, undefined, 'the file is its own lure: nothing to plant');
    const sheets = await sheetsOf(item.content);
    assert.deepEqual(sheets.get('Accounts')?.[0], ['System', 'Host', 'Username', 'Password', 'Owner', 'Last changed']);
    const passwords = passwordsOf(sheets);
    assert.equal(passwords.length, 5);
    for (const password of passwords) assert.equal(password.length, 32);
    assert.equal(new Set(passwords).size, 5);
    assert.equal(sheets.has('App registrations'), false, 'no lure material carried yet');
    assert.deepEqual((await lure.store.getDecoy('d-file-payroll'))?.value, decoy);
  });

  it("refuses a path that holds someone's file, an unknown library and a site Lure cannot see, and touches nothing", async () => {
    const lure = await services();
    const theirs = graph.addFile(library, '/IT/VPN and service accounts.xlsx');
    const requests = graph.requests.length;
    await assert.rejects(
      lure.lifecycles.create({ kind: 'file', id: 'd-taken', siteUrl: site.webUrl, folderPath: 'IT', fileName: 'VPN and service accounts.xlsx' }),
      (error: unknown) => error instanceof DecoyValidationError && /already exists/.test(error.message) && error.field === 'fileName',
    );
    assert.equal(graph.requests.slice(requests).filter((line) => line.startsWith('PUT ')).length, 0, 'no upload was tried');
    assert.equal(library.items.get(theirs.id)?.content.toString(), "a real person's file");
    await assert.rejects(
      lure.lifecycles.create({ kind: 'file', id: 'd-nolib', siteUrl: site.webUrl, libraryName: 'Invoices', fileName: 'x vendors.xlsx' }),
      (error: unknown) => error instanceof DecoyValidationError && error.message.includes('(it has: Documents, Board Packs)'),
    );
    await assert.rejects(
      lure.lifecycles.create({ kind: 'file', id: 'd-nosite', siteUrl: 'https://contoso.sharepoint.com/sites/legal', fileName: 'NDA list.xlsx' }),
      (error: unknown) => error instanceof DecoyValidationError && error.message.includes('Sites.Selected'),
    );
    await assert.rejects(
      lure.lifecycles.create({ kind: 'file', id: 'd-doc', siteUrl: site.webUrl, fileName: 'notes.docx' }),
      (error: unknown) => error instanceof DecoyValidationError && error.field === 'fileName',
    );
    for (const id of ['d-taken', 'd-nolib', 'd-nosite', 'd-doc']) assert.equal(await lure.store.getDecoy(id), undefined);
  });

  it('rotates by rewriting the same item: same ids and URL, new passwords, the old content kept only as a version', async () => {
    const lure = await services();
    const created = (
      await lure.lifecycles.create({ kind: 'file', id: 'd-file-rot', siteUrl: site.webUrl, libraryName: 'board packs', fileName: 'Acquisition shortlist.xlsx' })
    ).decoy as FileDecoy;
    const drive = site.drives[1]!;
    const item = drive.items.get(created.itemId!)!;
    const before = passwordsOf(await sheetsOf(item.content));
    const rotated = await lure.lifecycles.rotate('d-file-rot');
    assert.deepEqual(rotated.decoy, created, 'every id and the URL stay');
    assert.equal(drive.items.size, 1, 'no second item');
    assert.equal(item.versions.length, 1);
    const after = passwordsOf(await sheetsOf(item.content));
    assert.equal(after.length, 5);
    assert.equal(
      after.some((password) => before.includes(password)),
      false,
      'a new generation of every password',
    );
    const lifecycle = (await lure.store.getDecoyLifecycle('d-file-rot'))!;
    assert.equal(lifecycle.generations.length, 1, 'one generation: the content there now');
    assert.equal(lifecycle.generations[0]?.kind, 'fileContent');
    assert.equal(created.serverRelativeUrl, '/sites/finance/Board Packs/Acquisition shortlist.xlsx');
  });

  it("carries a decoy app's secret: written at the app's creation, rewritten at its rotation, the file kept", async () => {
    const lure = await services();
    const file = (
      await lure.lifecycles.create({ kind: 'file', id: 'd-file-carrier', siteUrl: site.webUrl, folderPath: 'IT', fileName: 'Service connections.xlsx' })
    ).decoy as FileDecoy;
    const created = await lure.lifecycles.create({ kind: 'application', id: 'd-app-carried', placements: [{ kind: 'file', decoyId: 'd-file-carrier' }] });
    assert.deepEqual(created.placementsRewritten, ['d-file-carrier']);
    const item = library.items.get(file.itemId!)!;
    const app = created.decoy as ApplicationDecoy;
    const carriedSecret = () => {
      const text = (sheets: Map<string, string[][]>) => (sheets.get('App registrations') ?? []).flat().join('\n');
      return sheetsOf(item.content).then((sheets) => graph.secrets.find((secret) => text(sheets).includes(`AZURE_CLIENT_SECRET=${secret}`)));
    };
    const first = await carriedSecret();
    const credentials = () => graph.applications.get(app.objectId!)!.passwordCredentials;
    assert.ok(first !== undefined && credentials().some((credential) => credential.hint === first.slice(0, 3)), 'the file holds a secret that works');

    await lure.lifecycles.rotate('d-app-carried', 'placements');
    const second = await carriedSecret();
    assert.ok(second !== undefined && second !== first, 'the file holds the new secret');
    assert.equal(library.items.get(file.itemId!), item, 'the same item');
    assert.deepEqual(((await lure.store.getDecoy('d-file-carrier'))!.value as FileDecoy).itemId, file.itemId);

    await assert.rejects(lure.lifecycles.retire('d-file-carrier'), LifecycleConflictError);
    await assert.rejects(
      lure.lifecycles.rotate('d-file-carrier'),
      (error: unknown) => error instanceof LifecycleConflictError && error.message.includes('rotate d-app-carried'),
      'rotated on its own, the file would lose the secret it carries',
    );
    assert.equal(await carriedSecret(), second, 'still the secret that works');
    await lure.lifecycles.retire('d-app-carried');
    await lure.lifecycles.retire('d-file-carrier');
    assert.equal(library.items.has(file.itemId!), false, 'retirement deletes the file Lure made');
    assert.equal(await lure.store.getDecoy('d-file-carrier'), undefined);
  });

  it("retires a registered file (one Lure did not upload) without deleting the customer's file", async () => {
    const lure = await services();
    const theirs = graph.addFile(library, '/Finance/Real budget.xlsx');
    await lure.registerDecoy({
      kind: 'file',
      id: 'd-file-theirs',
      enabled: true,
      siteUrl: site.webUrl,
      driveId: library.id,
      itemId: theirs.id,
      serverRelativeUrl: '/sites/finance/Shared Documents/Finance/Real budget.xlsx',
    });
    await lure.lifecycles.retire('d-file-theirs');
    assert.equal(library.items.has(theirs.id), true);
  });

  describe('killed after every journal step and every Graph call, the next timer run converges', () => {
    const doomedServices = (store: StateStore, plan: CrashPlan) =>
      services(
        dyingAfter(store, ['createJournalEntry', 'updateJournalEntry'], plan, 'journal'),
        dyingAfter<Directory>(fakeTenantDirectory(graph, login), 'all', plan, 'graph'),
      );
    const nextTimerRun = async (store: StateStore) => {
      clock.advance((ABANDONED_AFTER_IN_MINUTES + 1) * 60_000);
      return (await services(store)).rotateDecoys();
    };
    const unfinished = async (store: StateStore) =>
      (await store.listJournalEntries('1970-01-01T00:00:00.000Z')).filter((entry) => entry.step !== 'finished').map((entry) => entry.id);

    it('creation: either registered with the file there, or no file left at the path', async () => {
      let points: number;
      const outcomes = new Set<string>();
      for (let at = 1; ; at += 1) {
        const plan: CrashPlan = { at, count: 0 };
        const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
        const path = `/Crash/${at}/Payroll.xlsx`;
        try {
          const doomed = await doomedServices(store, plan);
          await doomed.lifecycles.create(
            { kind: 'file', id: 'd-file-crash', siteUrl: site.webUrl, folderPath: `Crash/${at}`, fileName: 'Payroll.xlsx' },
            NO_CATCH_BLOCKS,
          );
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
        }
        const hit = plan.hit;
        const context = `after ${hit ?? 'no crash'}`;
        assert.deepEqual((await nextTimerRun(store)).failures, [], context);
        const registered = (await store.getDecoy('d-file-crash'))?.value as FileDecoy | undefined;
        const there = [...library.items.values()].filter((item) => `${item.parentPath}/${item.name}` === path);
        if (registered === undefined) {
          assert.deepEqual(there, [], `${context}: the half-made file was deleted`);
          outcomes.add('undone');
        } else {
          assert.equal(there.length, 1, `${context}: one file`);
          assert.equal(registered.itemId, there[0]!.id, `${context}: the registry names the file that is there`);
          assert.equal(there[0]!.createdByApplicationId, LURE_APP_ID);
          outcomes.add('registered');
        }
        assert.deepEqual(await unfinished(store), [], `${context}: nothing unfinished`);
        if (hit === undefined) {
          points = at - 1;
          break;
        }
      }
      assert.ok(points >= 5, `crash points exercised: ${points}`);
      assert.deepEqual([...outcomes].sort(), ['registered', 'undone']);
    });

    for (const operation of ['rotate', 'retire'] as const) {
      it(`the file's own ${operation === 'rotate' ? 'rotation' : 'retirement'}: the registry and the library agree afterwards`, async () => {
        let points: number;
        for (let at = 1; ; at += 1) {
          const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
          const file = (
            await (
              await services(store)
            ).lifecycles.create({ kind: 'file', id: 'd-own', siteUrl: site.webUrl, folderPath: `Own ${operation} ${at}`, fileName: 'Keys.xlsx' })
          ).decoy as FileDecoy;
          const plan: CrashPlan = { at, count: 0 };
          try {
            const doomed = await doomedServices(store, plan);
            await (operation === 'rotate' ? doomed.lifecycles.rotate('d-own', 'caller', NO_CATCH_BLOCKS) : doomed.lifecycles.retire('d-own', NO_CATCH_BLOCKS));
          } catch (error) {
            if (!(error instanceof Crash)) throw error;
          }
          const hit = plan.hit;
          const context = `after ${hit ?? 'no crash'}`;
          assert.deepEqual((await nextTimerRun(store)).failures, [], context);
          const registered = (await store.getDecoy('d-own'))?.value as FileDecoy | undefined;
          const item = library.items.get(file.itemId!);
          if (operation === 'rotate') {
            assert.deepEqual(registered, file, `${context}: the same ids stay registered`);
            assert.ok(item !== undefined, `${context}: the same item is there`);
            assert.equal(passwordsOf(await sheetsOf(item.content)).length, 5, `${context}: a whole workbook`);
          } else {
            assert.equal(registered === undefined, item === undefined, `${context}: registered exactly while the file is there`);
          }
          assert.deepEqual(await unfinished(store), [], `${context}: nothing unfinished`);
          if (hit === undefined) {
            points = at - 1;
            break;
          }
        }
        assert.ok(points >= 3, `crash points exercised: ${points}`);
      });
    }

    it('rotation of an app whose secret a decoy file carries: the file always holds a secret that works', async () => {
      const outcomes = new Set<string>();
      for (let at = 1; ; at += 1) {
        const store = await azuriteStore(azurite.connectionString(), azurite.uniquePrefix());
        const setup = await services(store);
        const file = (
          await setup.lifecycles.create({ kind: 'file', id: 'carrier', siteUrl: site.webUrl, folderPath: `Rotate crash ${at}`, fileName: 'Keys.xlsx' })
        ).decoy as FileDecoy;
        const app = (await setup.lifecycles.create({ kind: 'application', id: 'app', placements: [{ kind: 'file', decoyId: 'carrier' }] }))
          .decoy as ApplicationDecoy;

        const plan: CrashPlan = { at, count: 0 };
        try {
          await (await doomedServices(store, plan)).lifecycles.rotate('app', 'placements', NO_CATCH_BLOCKS);
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
        }
        const hit = plan.hit;
        assert.deepEqual((await nextTimerRun(store)).failures, [], `after ${hit ?? 'no crash'}`);
        const context = `after ${hit ?? 'no crash'}`;
        const item = library.items.get(file.itemId!);
        assert.ok(item !== undefined, `${context}: the carrier file is still there, same item`);
        const carried = (await sheetsOf(item.content)).get('App registrations')?.flat().join('\n') ?? '';
        const planted = graph.secrets.find((secret) => carried.includes(`AZURE_CLIENT_SECRET=${secret}`));
        const credentials = graph.applications.get(app.objectId!)!.passwordCredentials;
        assert.ok(
          planted !== undefined && credentials.some((credential) => credential.hint === planted.slice(0, 3)),
          `${context}: the carrier holds a secret that still works`,
        );
        const registered = (await store.getDecoy('app'))!.value as ApplicationDecoy;
        assert.deepEqual(
          registered.credentialKeyIds,
          credentials.map((credential) => credential.keyId),
          `${context}: the registry agrees with the tenant`,
        );
        assert.deepEqual(await unfinished(store), [], `${context}: nothing unfinished`);
        for (const entry of await store.listJournalEntries('1970-01-01T00:00:00.000Z')) if (entry.operation === 'rotate') outcomes.add(entry.outcome!);
        if (hit === undefined) {
          assert.ok(at > 6, `crash points exercised: ${at - 1}`);
          break;
        }
      }
      assert.deepEqual([...outcomes].sort(), ['completed', 'rolledBack']);
    });
  });
});
