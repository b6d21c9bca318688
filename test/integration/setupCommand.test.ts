import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { USER_ADMINISTRATOR_ROLE_ID } from '../../src/app/tenantSetup.js';
import { useAzurite } from '../helpers/azurite.js';
import { cleanEnvironment, runLure } from '../helpers/cli.js';
import { FAKE_TENANT_ID, type FakeGraph, type FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { useFakeTenant } from '../helpers/tenant.js';
import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';

const azurite = useAzurite();
const LURE_OID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const LURE_APP = '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b';

describe('lure setup (as the administrator signed in, against a loopback Graph)', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
  });

  it('says what is missing, makes it with --apply, then finds it all done; Exchange and Teams come out as exact commands', async () => {
    const prefix = azurite.uniquePrefix();
    const store = await connectTableStateStore({ connection: { connectionString: azurite.connectionString() }, tablePrefix: prefix });
    const environment = cleanEnvironment({
      LURE_TABLE_CONNECTION_STRING: azurite.connectionString(),
      LURE_TABLE_PREFIX: prefix,
      LURE_TENANT_ID: FAKE_TENANT_ID,
      LURE_GRAPH_HOST: graph.url,
      LURE_AUTHORITY_HOST: login.authorityHost,
      LURE_EMAIL_SENDER: 'lure-alerts@contoso.example',
      LURE_EMAIL_RECIPIENTS: 'soc@contoso.example',
      AZURE_TENANT_ID: FAKE_TENANT_ID,
      AZURE_CLIENT_ID: '0b6f4f2a-4c1e-4d9b-9a7e-3f2d1c0b9a8e',
      AZURE_CLIENT_SECRET: 'fake-client-secret',
    });
    // A decoy user and app created by hand in the tenant and registered with Lure, and a decoy mailbox.
    const created = await fetch(`${graph.url}/v1.0/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        userPrincipalName: 'svc-payroll@contoso.example',
        displayName: 'Payroll service',
        mailNickname: 'svc-payroll',
        passwordProfile: { password: 'x'.repeat(40) },
      }),
    }).then((response) => response.json() as Promise<{ id: string }>);
    const application = await fetch(`${graph.url}/v1.0/applications(uniqueName='registered-app')`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json', prefer: 'create-if-missing' },
      body: JSON.stringify({ displayName: 'Backup Sync Connector' }),
    }).then((response) => response.json() as Promise<{ id: string; appId: string }>);
    await store.upsertDecoy({ id: 'd-user-1', kind: 'user', enabled: true, userPrincipalName: 'svc-payroll@contoso.example' });
    await store.upsertDecoy({ id: 'd-app-1', kind: 'application', enabled: true, appId: application.appId, objectId: application.id, credentialKeyIds: [] });
    await store.upsertDecoy({
      id: 'd-mail-1',
      kind: 'mailItem',
      enabled: true,
      mailbox: "o'brien-archive@contoso.example",
      internetMessageId: 'x@y',
      alternateItemIds: [],
      alternateFolderIds: [],
      dedicatedFolder: false,
    });
    await store.upsertDecoy({
      id: 'd-mail-2',
      kind: 'mailItem',
      enabled: true,
      mailbox: 'fin$(iex)@contoso.example',
      internetMessageId: 'x2@y',
      alternateItemIds: [],
      alternateFolderIds: [],
      dedicatedFolder: false,
    });

    // A decoy file's site, a site named for the next ones (Lure may only read there so far), and a site that does not exist.
    const finance = graph.addSite('https://contoso.sharepoint.com/sites/finance');
    const hr = graph.addSite('https://contoso.sharepoint.com/sites/hr');
    hr.permissions.push({ id: 'hr-read', roles: ['read'], applicationId: LURE_APP, displayName: 'Lure' });
    await store.upsertDecoy({ id: 'd-file-1', kind: 'file', enabled: true, siteUrl: finance.webUrl, listItemUniqueId: '3f2e1d0c-9b8a-4765-8432-10fedcba9876' });

    const args = [
      'setup',
      '--principal-id',
      LURE_OID,
      '--app-id',
      LURE_APP,
      '--site',
      'https://contoso.sharepoint.com/sites/HR/',
      '--site',
      'https://contoso.sharepoint.com/sites/nowhere',
    ];
    const planned = await runLure(args, environment);
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /\[pending\] administrative unit: create Lure decoys with hidden membership/);
    assert.match(planned.stdout, /\[pending\] decoy user d-user-1 in the unit/);
    assert.match(planned.stdout, /\[pending\] Lure owns decoy app d-app-1/);
    assert.match(planned.stdout, /\[pending\] Sites\.Selected on https:\/\/contoso\.sharepoint\.com\/sites\/finance: grant 1f2e3d4c-[0-9a-f-]+ write on/);
    assert.match(planned.stdout, /\[pending\] Sites\.Selected on https:\/\/contoso\.sharepoint\.com\/sites\/HR: .*\(it has read, which cannot upload\)/);
    assert.match(planned.stdout, /\[manual\] Sites\.Selected on https:\/\/contoso\.sharepoint\.com\/sites\/nowhere: no such site/);
    assert.equal(finance.permissions.length, 0, 'without --apply no site is granted');
    assert.match(planned.stderr, /--apply/);
    assert.equal(graph.administrativeUnits.size, 0, 'without --apply nothing changes');

    // The owner reference goes through but its answer is lost: the retry meets "already exist", which is success.
    graph.fail('POST', /\/owners\/\$ref$/, { status: 204, passThrough: true, delayInMs: 2_500 });
    const applied = await runLure([...args, '--apply'], { ...environment, LURE_GRAPH_TIMEOUT_IN_SECONDS: '1' });
    assert.equal(applied.code, 0, applied.stderr);
    const [unit] = [...graph.administrativeUnits.values()];
    assert.equal(unit?.visibility, 'HiddenMembership');
    assert.deepEqual([...unit.members], [created.id]);
    assert.deepEqual(graph.roleAssignments, [
      { principalId: LURE_OID, roleDefinitionId: USER_ADMINISTRATOR_ROLE_ID, directoryScopeId: `/administrativeUnits/${unit.id}` },
    ]);
    assert.deepEqual([...graph.applicationOwners.get(application.id)!], [LURE_OID]);
    assert.deepEqual(
      finance.permissions.map(({ roles, applicationId }) => ({ roles, applicationId })),
      [{ roles: ['write'], applicationId: LURE_APP }],
      'write on the decoy site, for Lure only',
    );
    assert.deepEqual(
      hr.permissions.map(({ id, roles }) => ({ id, roles })),
      [{ id: 'hr-read', roles: ['write'] }],
      "Lure's read grant is raised to write, not doubled",
    );
    assert.equal(graph.count('POST', /\/owners\/\$ref$/), 2, 'the timed-out reference was retried, and its "already exist" taken as done');
    assert.match(
      applied.stdout,
      /New-ManagementScope -Name 'Lure decoy mailboxes' -RecipientRestrictionFilter "PrimarySmtpAddress -eq 'o''brien-archive@contoso\.example'"/,
    );
    assert.match(
      applied.stdout,
      /New-ManagementRoleAssignment -App 1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b -Role 'Application Mail\.Send' -CustomResourceScope 'Lure alert sender'/,
    );
    assert.match(applied.stdout, /\[manual\] LURE_SELF_PRINCIPAL_IDS: set LURE_SELF_PRINCIPAL_IDS=9a8b7c6d/);
    assert.match(applied.stdout, /left out of the commands below.*"fin\$\(iex\)@contoso\.example"/);
    assert.doesNotMatch(applied.stdout, /-eq 'fin\$/, 'an address PowerShell would read as code never reaches a command');

    const again = await runLure([...args, '--apply'], cleanEnvironment({ ...environment, LURE_SELF_PRINCIPAL_IDS: `${LURE_OID},${LURE_APP}` }));
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /\[(pending|applied)\]/, 'a second run finds everything in place');
    assert.equal(graph.roleAssignments.length, 1);
    assert.equal(graph.administrativeUnits.size, 1);

    // Someone adds a real user to the unit: Lure could reset that user's password. Setup says so.
    unit.members.add('5b6c7d8e-0000-4000-8000-000000000001');
    const watched = await runLure(args, environment);
    assert.match(watched.stdout, /\[manual\] administrative unit holds only decoys: remove 1 member\(s\) that are not registered decoy users: 5b6c7d8e/);
  });

  it('refuses a principal id that is not a GUID', async () => {
    const result = await runLure(['setup', '--principal-id', 'lure', '--app-id', LURE_APP], cleanEnvironment({ LURE_STORE: 'memory' }));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /not a GUID: lure/);
  });
});
