import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphDirectory } from '../../src/adapters/graph/graphDirectory.js';
import { simpleParser } from 'mailparser';
import { DirectoryError } from '../../src/ports/directory.js';
import { type FakeGraph, type FakeTokenEndpoint, startFakeGraph, startFakeTokenEndpoint } from '../helpers/fakeGraph.js';

describe('GraphDirectory against loopback fakes of Graph and the token endpoint (real HTTPS, real SDK clients)', () => {
  let login: FakeTokenEndpoint;
  let graph: FakeGraph;
  const waits: number[] = [];
  const directory = (overrides: { timeoutInMs?: number; maxAttempts?: number } = {}) =>
    new GraphDirectory({
      baseUrl: graph.url,
      credential: login.credential(),
      timeoutInMs: overrides.timeoutInMs ?? 5_000,
      maxAttempts: overrides.maxAttempts ?? 4,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });

  before(async () => {
    login = await startFakeTokenEndpoint();
    graph = await startFakeGraph({ accessToken: login.accessToken });
    graph.addMailbox('archive@contoso.example');
  });
  after(async () => {
    await graph.close();
    await login.close();
  });

  it('gets a token from the token endpoint and presents it to Graph', async () => {
    const before = login.tokenRequests;
    const user = await directory().createUser({
      userPrincipalName: 'dana.whitfield@contoso.example',
      displayName: 'Dana Whitfield',
      mailNickname: 'dana.whitfield',
      jobTitle: 'Backup Operator',
      password: 'p'.repeat(40),
    });
    assert.ok(login.tokenRequests > before, 'a token was requested');
    assert.equal(graph.users.get(user.id)?.jobTitle, 'Backup Operator');
    assert.equal(user.userPrincipalName, 'dana.whitfield@contoso.example');
  });

  it('is refused by Graph without the token: the fake checks the bearer token', async () => {
    const stranger = await startFakeGraph({ accessToken: 'another-token' });
    try {
      const refused = new GraphDirectory({ baseUrl: stranger.url, credential: login.credential(), timeoutInMs: 5_000 });
      await assert.rejects(
        refused.getUser('x@contoso.example'),
        (error: unknown) => error instanceof DirectoryError && error.status === 401 && /GET \/users\/\{id\}/.test(error.message),
      );
    } finally {
      await stranger.close();
    }
  });

  it('reads, resets and deletes users; a missing user is undefined and deleting it twice is fine', async () => {
    const client = directory();
    const user = await client.createUser({
      userPrincipalName: 'lee.okafor@contoso.example',
      displayName: 'Lee Okafor',
      mailNickname: 'lee.okafor',
      password: 'a'.repeat(40),
    });
    assert.deepEqual(await client.getUser('LEE.OKAFOR@contoso.example'), {
      id: user.id,
      userPrincipalName: 'lee.okafor@contoso.example',
      accountEnabled: true,
    });
    await client.resetUserPassword(user.id, 'b'.repeat(40));
    assert.deepEqual(graph.users.get(user.id)?.passwords, ['a'.repeat(40), 'b'.repeat(40)]);
    await client.deleteUser(user.id);
    await client.deleteUser(user.id);
    assert.equal(await client.getUser(user.id), undefined);
  });

  it('upserts applications and service principals idempotently, and adds and removes secrets', async () => {
    const client = directory();
    const first = await client.upsertApplication('app-test-1', 'Backup Sync');
    const again = await client.upsertApplication('app-test-1', 'Backup Sync');
    assert.equal(again.id, first.id);
    assert.equal([...graph.applications.values()].filter((application) => application.uniqueName === 'app-test-1').length, 1);
    const servicePrincipalId = await client.upsertServicePrincipal(first.appId);
    assert.equal(await client.upsertServicePrincipal(first.appId), servicePrincipalId);

    const secret = await client.addApplicationPassword(first.id, { displayName: 'rotated 20261128 j1', endDateTime: '2027-05-27T00:00:00.000Z' });
    assert.ok(secret.secretText.length >= 16);
    assert.equal(secret.hint, secret.secretText.slice(0, 3));
    const listed = await client.getApplication(first.id);
    assert.deepEqual(
      listed?.passwordCredentials.map((credential) => [credential.keyId, credential.displayName]),
      [[secret.keyId, 'rotated 20261128 j1']],
    );
    assert.ok(!JSON.stringify(listed).includes(secret.secretText), 'a listed credential never carries its secret');

    await client.removeApplicationPassword(first.id, secret.keyId);
    await client.removeApplicationPassword(first.id, secret.keyId);
    assert.deepEqual((await client.getApplication(first.id))?.passwordCredentials, []);
    await client.deleteApplication(first.id);
    await client.deleteApplication(first.id);
    assert.equal(await client.getApplicationByUniqueName('app-test-1'), undefined);
  });

  it('plants marked, non-draft messages in a folder it finds or creates, lists them across pages, translates ids', async () => {
    const client = directory();
    const folderId = await client.ensureMailFolder('archive@contoso.example', "Vendor's Credentials");
    assert.equal(await client.ensureMailFolder('archive@contoso.example', "Vendor's Credentials"), folderId);
    const planted = [];
    for (let index = 0; index < 103; index += 1) {
      planted.push(
        await client.createMessage('archive@contoso.example', folderId, {
          subject: `VPN ${index}`,
          body: 'break-glass',
          from: { name: 'IT', address: 'it@contoso.example' },
          marker: `m${index}`,
        }),
      );
    }
    const stored = graph.mailboxes.get('archive@contoso.example')!.get(folderId)!.messages.get(planted[0]!.id)!;
    assert.equal(stored.properties.get('Integer 0x0E07'), '1', 'message flags make it a sent-looking message, not a draft');
    const listed = await client.listMessages('archive@contoso.example', folderId);
    assert.equal(listed.length, 103);
    assert.deepEqual(listed.map((message) => message.marker).sort(), planted.map((message) => message.marker).sort());
    const forms = await client.translateExchangeId('archive@contoso.example', planted[0]!.id);
    assert.equal(forms.restId, planted[0]!.id);
    assert.equal(forms.restImmutableEntryId, `restImmutableEntryId:${planted[0]!.id}`);
    assert.equal(forms.entryId, `entryId:${planted[0]!.id}`);
    await client.deleteMessage('archive@contoso.example', planted[0]!.id);
    await client.deleteMessage('archive@contoso.example', planted[0]!.id);
    assert.equal((await client.listMessages('archive@contoso.example', folderId)).length, 102);
  });

  it('takes a folder a retried create already made (409 ErrorFolderExists), and lists unmarked messages without a marker', async () => {
    const client = directory();
    const folderId = await client.ensureMailFolder('archive@contoso.example', 'Raced');
    graph.fail('GET', /mailFolders$/, { status: 200, body: { value: [] } });
    assert.equal(await client.ensureMailFolder('archive@contoso.example', 'Raced'), folderId);
    assert.equal(await client.findMailFolder('archive@contoso.example', 'Nowhere'), undefined);
    graph.mailboxes
      .get('archive@contoso.example')!
      .get(folderId)!
      .messages.set('AAMkreal', { id: 'AAMkreal', internetMessageId: '<real@x>', subject: 'lunch', body: 'hi', properties: new Map() });
    assert.deepEqual(await client.listMessages('archive@contoso.example', folderId), [{ id: 'AAMkreal', internetMessageId: '<real@x>' }]);
  });

  it('tries again when an object made a moment ago is not replicated yet (404 right after a create)', async () => {
    const client = directory();
    const application = await client.upsertApplication('app-fresh', 'Fresh');
    graph.fail('POST', /addPassword$/, { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'does not exist' } } });
    graph.fail('PATCH', /^\/servicePrincipals/, { status: 404 });
    assert.match((await client.addApplicationPassword(application.id, { displayName: 'd', endDateTime: '2027-01-01T00:00:00Z' })).keyId, /^[0-9a-f-]{36}$/);
    assert.match(await client.upsertServicePrincipal(application.appId), /^[0-9a-f-]{36}$/);
  });

  it('keeps a refused request that carried a secret out of the error message', async () => {
    graph.fail('POST', /^\/users$/, {
      status: 400,
      body: { error: { code: 'Request_BadRequest', message: 'The password hunter2hunter2 does not comply with policy' } },
    });
    await assert.rejects(
      directory().createUser({ userPrincipalName: 'y@contoso.example', displayName: 'y', mailNickname: 'y', password: 'hunter2hunter2' }),
      (error: unknown) => error instanceof DirectoryError && error.message === 'POST /users: HTTP 400 Request_BadRequest',
    );
  });

  it('sends mail as a MIME message with HTML and plain-text parts', async () => {
    await directory().sendMail('archive@contoso.example', { to: ['soc@contoso.example'], subject: 'Lure alert ü', html: '<p>hi there</p>', text: 'hi there' });
    assert.equal(graph.sentMail.length, 1);
    const parsed = await simpleParser(graph.sentMail[0]!.mime);
    assert.equal(parsed.subject, 'Lure alert ü');
    assert.equal(parsed.text?.trim(), 'hi there');
    assert.match(String(parsed.html), /<p>hi there<\/p>/);
    assert.equal((parsed.to as { text: string }).text, 'soc@contoso.example');
  });

  it('waits as long as a 429 Retry-After asks, then succeeds', async () => {
    waits.length = 0;
    graph.fail('GET', /^\/users\/throttled/, { status: 429, headers: { 'retry-after': '7' } });
    assert.equal(await directory().getUser('throttled@contoso.example'), undefined);
    assert.deepEqual(waits, [7_000]);
    assert.equal(graph.count('GET', /^\/users\/throttled/), 2);
  });

  it('retries 503 and 500 with backoff, then succeeds', async () => {
    waits.length = 0;
    graph.fail('GET', /^\/users\/flaky/, { status: 503, headers: { 'retry-after': '2' } }, { status: 500 });
    assert.equal(await directory().getUser('flaky@contoso.example'), undefined);
    assert.equal(waits.length, 2);
    assert.equal(waits[0], 2_000);
    assert.ok(waits[1]! > 0 && waits[1]! <= 1_000, `backoff ${waits[1]}`);
  });

  it('sends mail in one attempt: the alert outbox does the retrying', async () => {
    graph.fail('POST', /sendMail$/, { status: 503 });
    await assert.rejects(
      directory().sendMail('archive@contoso.example', { to: ['soc@contoso.example'], subject: 's', html: 'h', text: 'h' }),
      (error: unknown) => error instanceof DirectoryError && error.status === 503,
    );
    assert.equal(graph.count('POST', /sendMail$/), 2, 'the earlier test sent one; this one tried once');
  });

  it('abandons an attempt that outlives the timeout and tries again', async () => {
    waits.length = 0;
    graph.fail('GET', /^\/users\/slow/, { status: 200, body: { id: 'x', userPrincipalName: 'slow@contoso.example' }, delayInMs: 1_500 });
    assert.equal(
      await directory({ timeoutInMs: 300 }).getUser('slow@contoso.example'),
      undefined,
      'the second attempt reached the fake, which has no such user',
    );
    assert.equal(waits.length, 1);
  });

  it('gives up after its attempts with an error naming the call and the status', async () => {
    graph.fail('POST', /^\/users$/, { status: 500 }, { status: 500 }, { status: 500 });
    await assert.rejects(
      directory({ maxAttempts: 3 }).createUser({ userPrincipalName: 'x@contoso.example', displayName: 'x', mailNickname: 'x', password: 'c'.repeat(40) }),
      (error: unknown) =>
        error instanceof DirectoryError && error.status === 500 && error.call === 'POST /users' && /^POST \/users: HTTP 500/.test(error.message),
    );
  });

  it('does not retry a refusal', async () => {
    const before = graph.count('POST', /addPassword$/);
    graph.fail('POST', /addPassword$/, {
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
    });
    await assert.rejects(
      directory().addApplicationPassword('00000000-0000-0000-0000-000000000001', { displayName: 'd', endDateTime: '2027-01-01T00:00:00Z' }),
      (error: unknown) => error instanceof DirectoryError && error.status === 403 && /Authorization_RequestDenied/.test(error.message),
    );
    assert.equal(graph.count('POST', /addPassword$/), before + 1);
  });
});
