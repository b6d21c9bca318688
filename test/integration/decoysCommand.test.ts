import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { useAzurite } from '../helpers/azurite.js';
import { cleanEnvironment, runLure } from '../helpers/cli.js';
import { FAKE_TENANT_ID, type FakeGraph, type FakeTokenEndpoint } from '../helpers/fakeGraph.js';
import { useFakeTenant } from '../helpers/tenant.js';

const azurite = useAzurite();

describe('lure decoys (the composition root: DefaultAzureCredential from the environment, Graph of the settings)', () => {
  const tenant = useFakeTenant();
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  before(() => {
    login = tenant.login();
    graph = tenant.graph();
  });

  const environment = (prefix: string) =>
    cleanEnvironment({
      LURE_TABLE_CONNECTION_STRING: azurite.connectionString(),
      LURE_TABLE_PREFIX: prefix,
      LURE_TENANT_ID: FAKE_TENANT_ID,
      LURE_GRAPH_HOST: graph.url,
      LURE_AUTHORITY_HOST: login.authorityHost,
      // What DefaultAzureCredential's environment source reads: a service principal with a secret.
      AZURE_TENANT_ID: FAKE_TENANT_ID,
      AZURE_CLIENT_ID: '0b6f4f2a-4c1e-4d9b-9a7e-3f2d1c0b9a8e',
      AZURE_CLIENT_SECRET: 'fake-client-secret',
    });

  it('creates, rotates and retires an app decoy; the material goes to stdout once', async () => {
    const prefix = azurite.uniquePrefix();
    const folder = await mkdtemp(path.join(tmpdir(), 'lure-decoys-'));
    const request = path.join(folder, 'request.json');
    await writeFile(request, JSON.stringify({ kind: 'application', id: 'd-app-cli', memo: 'nightly export job' }));

    const created = await runLure(['decoys', 'create', request], environment(prefix));
    assert.equal(created.code, 0, created.stderr);
    const output = JSON.parse(created.stdout) as { decoy: { appId: string; objectId: string; credentialKeyIds: string[] }; material: string };
    const application = graph.applications.get(output.decoy.objectId)!;
    assert.deepEqual(
      output.decoy.credentialKeyIds,
      application.passwordCredentials.map((credential) => credential.keyId),
    );
    assert.ok(graph.secrets.some((secret) => output.material.includes(`AZURE_CLIENT_SECRET=${secret}`)));
    assert.match(created.stderr, /Lure keeps no copy of its secret/);

    const rotated = await runLure(['decoys', 'rotate', 'd-app-cli'], environment(prefix));
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.equal(application.passwordCredentials.length, 2);

    const retired = await runLure(['decoys', 'retire', 'd-app-cli'], environment(prefix));
    assert.equal(retired.code, 0, retired.stderr);
    assert.equal(graph.applications.has(output.decoy.objectId), false);
  });

  it('names the field of a bad request and exits 2, touching nothing', async () => {
    const before = graph.requests.length;
    const folder = await mkdtemp(path.join(tmpdir(), 'lure-decoys-'));
    const request = path.join(folder, 'request.json');
    await writeFile(request, JSON.stringify({ kind: 'mailItem', id: 'd-mail-cli' }));
    const result = await runLure(['decoys', 'create', request], environment(azurite.uniquePrefix()));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /lure: mailbox: /);
    // Inline, as the help shows it: read as the request itself, not as a file name.
    const inline = await runLure(['decoys', 'create', '{"kind":"mailItem","id":"d-mail-inline"}'], environment(azurite.uniquePrefix()));
    assert.equal(inline.code, 2);
    assert.match(inline.stderr, /lure: mailbox: /);
    const broken = await runLure(['decoys', 'create', '{"kind":'], environment(azurite.uniquePrefix()));
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /the request is not valid JSON/);
    assert.equal(graph.requests.length, before);
  });

  it('says what to set when Lure has no Graph access', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'lure-decoys-'));
    const request = path.join(folder, 'request.json');
    await writeFile(request, JSON.stringify({ kind: 'user', id: 'd-user-cli', userPrincipalName: 'dana.whitfield@contoso.example' }));
    const result = await runLure(
      ['decoys', 'create', request],
      cleanEnvironment({ LURE_TABLE_CONNECTION_STRING: azurite.connectionString(), LURE_TABLE_PREFIX: azurite.uniquePrefix() }),
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Lure has no Graph access: set LURE_TENANT_ID/);
  });
});
