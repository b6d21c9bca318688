import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { before, describe, it } from 'node:test';
import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';
import { type AdminFixtures, seedAdminFixtures, startTenantKeys, useAdminApi } from '../helpers/adminTokens.js';
import { useAzurite } from '../helpers/azurite.js';
import { fixedClock, testServices } from '../helpers/services.js';
import { startLocalApiServer } from '../../src/host/local/localApiServer.js';
import { adminApiFor } from '../../src/host/adminHosting.js';

const NOW = new Date('2026-11-28T12:00:00.000Z');
const azurite = useAzurite();

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly json?: { error?: { code: string; message: string; field?: string } } & Record<string, unknown>;
}

/** Bad input against the admin API over real HTTP, on Table Storage (Azurite): clear 4xx answers, nothing changed. */
describe('admin API: bad input gets a clear 4xx and changes nothing', () => {
  let fixtures: AdminFixtures;
  let admin: string;
  const { tenant, services, server } = useAdminApi(NOW, async ({ settings }) => {
    const store = await connectTableStateStore({ connection: { connectionString: azurite.connectionString() }, tablePrefix: azurite.uniquePrefix() });
    const seeded = await testServices({ store, settings, clock: fixedClock(NOW.toISOString()) });
    fixtures = await seedAdminFixtures(seeded);
    return seeded;
  });
  before(async () => {
    admin = `Bearer ${await tenant().mint()}`;
  });

  /** A raw request: the body exactly as given (string or bytes), headers as given. */
  function send(method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean } = {}): Promise<Answer> {
    const url = new URL(`${server().url}${path}`);
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        {
          method,
          headers: {
            authorization: admin,
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(options.body === undefined || options.chunked ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }),
            ...options.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              ...(text === '' ? {} : { json: JSON.parse(text) as NonNullable<Answer['json']> }),
            });
          });
        },
      );
      // A server that refuses a huge body early may close before it is all written.
      request.on('error', reject);
      if (options.body !== undefined) request.write(options.body);
      request.end();
    });
  }

  async function snapshot(): Promise<string> {
    const alerts = [];
    for await (const stored of services().store.listAlerts()) alerts.push(stored);
    const audit = [];
    for await (const entry of services().store.listAuditEntries()) audit.push(entry);
    const outbox = [];
    for await (const entry of services().store.listOutboxEntries()) outbox.push(entry);
    const decoys = await Promise.all((await services().store.listDecoys()).map((decoy) => services().store.getDecoy(decoy.id)));
    const journal = await services().store.listJournalEntries('2000-01-01T00:00:00.000Z');
    const sort = (items: unknown[]) => items.map((item) => JSON.stringify(item)).sort();
    return JSON.stringify({
      decoys: sort(decoys),
      alerts: sort(alerts),
      audit: sort(audit),
      outbox: sort(outbox),
      journal: sort(journal),
      lifecycles: sort(await services().store.listDecoyLifecycles()),
    });
  }

  async function etagOf(id: string): Promise<string> {
    const answer = await send('GET', `/decoys/${id}`);
    assert.equal(answer.status, 200);
    return answer.headers.etag as string;
  }

  const BAD: readonly {
    name: string;
    method: string;
    path: () => string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    status: number;
    code: string;
    field?: string;
    chunked?: boolean;
  }[] = [
    { name: 'malformed JSON', method: 'POST', path: () => '/decoys', body: '{"register": {"id": "d-x", ', status: 400, code: 'malformedJson' },
    { name: 'JSON that is not an object', method: 'POST', path: () => '/decoys', body: '[1,2,3]', status: 400, code: 'invalidField', field: '(body)' },
    {
      name: 'neither register nor create',
      method: 'POST',
      path: () => '/decoys',
      body: '{"decoy": {"id": "d-x", "kind": "token"}}',
      status: 400,
      code: 'invalidField',
      field: 'decoy',
    },
    {
      name: 'a register with a wrong type',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-x", "kind": "token", "kid": "k", "enabled": "yes"}}',
      status: 400,
      code: 'invalidField',
      field: 'register.enabled',
    },
    {
      name: 'a register with an unknown field',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-x", "kind": "token", "kid": "k", "owner": "me"}}',
      status: 400,
      code: 'invalidField',
      field: 'register',
    },
    {
      name: 'both register and create',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-x", "kind": "token", "kid": "k"}, "create": {"kind": "token", "id": "d-y"}}',
      status: 400,
      code: 'invalidField',
      field: '(body)',
    },
    {
      name: 'a register whose id is a path',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "../../d-token-1", "kind": "token", "kid": "k"}}',
      status: 400,
      code: 'invalidField',
      field: 'register.id',
    },
    {
      name: 'a register of an id that exists',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-token-1", "kind": "token", "kid": "other"}}',
      status: 409,
      code: 'conflict',
    },
    {
      name: 'a register of an identifier another decoy owns',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-token-9", "kind": "token", "kid": "honey-kid-1"}}',
      status: 409,
      code: 'conflict',
      field: 'register',
    },
    {
      name: 'a create with an unknown kind',
      method: 'POST',
      path: () => '/decoys',
      body: '{"create": {"kind": "printer", "id": "d-x"}}',
      status: 400,
      code: 'invalidField',
      field: 'create.kind',
    },
    {
      name: 'a create with an unknown field',
      method: 'POST',
      path: () => '/decoys',
      body: '{"create": {"kind": "token", "id": "d-x", "colour": "red"}}',
      status: 400,
      code: 'invalidField',
      field: 'create.request',
    },
    {
      name: 'an unknown top-level field',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-x", "kind": "token", "kid": "k"}, "force": true}',
      status: 400,
      code: 'invalidField',
    },
    {
      name: 'a body as text/plain',
      method: 'POST',
      path: () => '/decoys',
      body: '{"register": {"id": "d-x", "kind": "token", "kid": "k"}}',
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'unsupportedMediaType',
      field: 'Content-Type',
    },
    {
      name: 'a form body',
      method: 'POST',
      path: () => '/decoys',
      body: 'register=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'unsupportedMediaType',
    },
    {
      name: 'a body in another charset',
      method: 'POST',
      path: () => '/decoys',
      body: '{}',
      headers: { 'content-type': 'application/json; charset=latin1' },
      status: 415,
      code: 'unsupportedMediaType',
    },
    {
      name: 'bytes that are not UTF-8',
      method: 'POST',
      path: () => '/decoys',
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
      status: 400,
      code: 'malformedJson',
    },
    {
      name: 'a huge body (declared)',
      method: 'POST',
      path: () => '/decoys',
      body: `{"register": {"id": "d-x", "kind": "token", "kid": "${'k'.repeat(200_000)}"}}`,
      status: 413,
      code: 'payloadTooLarge',
    },
    {
      name: 'a huge body (chunked, no length)',
      method: 'POST',
      path: () => '/decoys',
      body: `{"register": {"id": "d-x", "kind": "token", "kid": "${'k'.repeat(200_000)}"}}`,
      chunked: true,
      status: 413,
      code: 'payloadTooLarge',
    },
    { name: 'an empty body where one is required', method: 'POST', path: () => '/decoys', status: 400, code: 'invalidRequest' },
    {
      name: 'a body on a route that takes none',
      method: 'DELETE',
      path: () => '/decoys/d-token-1',
      body: '{"really": true}',
      status: 400,
      code: 'invalidRequest',
    },
    {
      name: 'a PATCH with a wrong type',
      method: 'PATCH',
      path: () => '/decoys/d-token-1',
      body: '{"enabled": "false"}',
      status: 400,
      code: 'invalidField',
      field: 'enabled',
    },
    {
      name: 'a PATCH with an unknown field',
      method: 'PATCH',
      path: () => '/decoys/d-token-1',
      body: '{"enabled": false, "kid": "swapped"}',
      status: 400,
      code: 'invalidField',
      field: 'kid',
    },
    { name: 'a PATCH that changes nothing', method: 'PATCH', path: () => '/decoys/d-token-1', body: '{}', status: 400, code: 'invalidField' },
    {
      name: 'a PATCH with an out-of-range interval',
      method: 'PATCH',
      path: () => '/decoys/d-token-1',
      body: '{"rotationIntervalInHours": 0}',
      status: 400,
      code: 'invalidField',
      field: 'rotationIntervalInHours',
    },
    {
      name: 'a PATCH without If-Match',
      method: 'PATCH',
      path: () => '/decoys/d-token-1',
      body: '{"enabled": false}',
      status: 428,
      code: 'preconditionRequired',
      field: 'If-Match',
    },
    {
      name: 'a PATCH with a made-up If-Match',
      method: 'PATCH',
      path: () => '/decoys/d-token-1',
      body: '{"enabled": false}',
      headers: { 'if-match': '"bm90LWFuLWV0YWc"' },
      status: 412,
      code: 'preconditionFailed',
      field: 'If-Match',
    },
    {
      name: 'a PATCH with If-Match *',
      method: 'PATCH',
      path: () => '/decoys/d-token-1',
      body: '{"enabled": false}',
      headers: { 'if-match': '*' },
      status: 412,
      code: 'preconditionFailed',
    },
    {
      name: 'a traversal in a decoy id (encoded slashes)',
      method: 'GET',
      path: () => '/decoys/..%2F..%2Fsecrets',
      status: 400,
      code: 'invalidField',
      field: 'id',
    },
    {
      name: 'a traversal in a decoy id (dot segments, resolved by URL parsing)',
      method: 'DELETE',
      path: () => '/decoys/%2E%2E',
      status: 404,
      code: 'notFound',
    },
    { name: 'a decoy id starting with a dot', method: 'DELETE', path: () => '/decoys/.lure', status: 400, code: 'invalidField', field: 'id' },
    {
      name: 'a traversal in a decoy id (backslashes)',
      method: 'GET',
      path: () => '/decoys/..%5C..%5Cwindows/lure',
      status: 400,
      code: 'invalidField',
      field: 'id',
    },
    { name: 'a decoy id with a NUL', method: 'GET', path: () => '/decoys/d-token-1%00', status: 400, code: 'invalidField', field: 'id' },
    { name: 'a broken percent-encoding', method: 'GET', path: () => '/decoys/%E0%A4%A', status: 400, code: 'invalidPath' },
    { name: 'an alert id that is not one', method: 'POST', path: () => '/alerts/..%2Fdecoys/ack', status: 400, code: 'invalidField', field: 'id' },
    { name: 'an incident id that is not one', method: 'GET', path: () => '/incidents/inc-..', status: 400, code: 'invalidField', field: 'id' },
    { name: 'an unknown decoy', method: 'DELETE', path: () => '/decoys/d-nobody', status: 404, code: 'notFound' },
    { name: 'an unknown decoy to rotate', method: 'POST', path: () => '/decoys/d-nobody/rotate', status: 404, code: 'notFound' },
    { name: 'an unknown alert', method: 'POST', path: () => `/alerts/${'0'.repeat(32)}/resolve`, body: '{}', status: 404, code: 'notFound' },
    {
      name: 'a triage note of the wrong type',
      method: 'POST',
      path: () => `/alerts/${fixtures.alertId}/ack`,
      body: '{"note": 42}',
      status: 400,
      code: 'invalidField',
      field: 'note',
    },
    { name: 'an unknown query parameter', method: 'GET', path: () => '/alerts?sort=asc', status: 400, code: 'invalidField', field: 'sort' },
    {
      name: 'a query parameter given twice',
      method: 'GET',
      path: () => '/alerts?status=open&status=resolved',
      status: 400,
      code: 'invalidField',
      field: 'status',
    },
    { name: 'an unknown status filter', method: 'GET', path: () => '/alerts?status=deleted', status: 400, code: 'invalidField', field: 'status' },
    { name: 'a time that is not one', method: 'GET', path: () => '/alerts?from=yesterday', status: 400, code: 'invalidField', field: 'from' },
    { name: 'a page size too large', method: 'GET', path: () => '/alerts?top=100000', status: 400, code: 'invalidField', field: 'top' },
    {
      name: 'a forged continuation token',
      method: 'GET',
      path: () => '/alerts?continuation=bm90IGEgdG9rZW4',
      status: 400,
      code: 'invalidField',
      field: 'continuation',
    },
    { name: 'an unknown route', method: 'GET', path: () => '/secrets', status: 404, code: 'notFound' },
    { name: 'a method the route does not take', method: 'PUT', path: () => '/decoys/d-token-1', body: '{}', status: 405, code: 'methodNotAllowed' },
  ];

  for (const bad of BAD) {
    it(`${bad.name}: ${bad.status} ${bad.code}`, async () => {
      const before = await snapshot();
      const answer = await send(bad.method, bad.path(), {
        ...(bad.body === undefined ? {} : { body: bad.body }),
        ...(bad.headers === undefined ? {} : { headers: bad.headers }),
        ...(bad.chunked ? { chunked: true } : {}),
      });
      assert.equal(answer.status, bad.status, JSON.stringify(answer.json));
      assert.equal(answer.json?.error?.code, bad.code);
      assert.ok(answer.json.error.message.length > 5, 'the message says what is wrong');
      if (bad.field !== undefined) assert.equal(answer.json.error.field, bad.field);
      assert.deepEqual(Object.keys(answer.json ?? {}), ['error'], 'one error shape');
      assert.doesNotMatch(JSON.stringify(answer.json), /\.ts:\d+|node:internal|at async/, 'no stack trace');
      assert.match(String(answer.headers['content-type']), /^application\/json/);
      assert.equal(await snapshot(), before, 'nothing in the store changed');
    });
  }

  it('a stale ETag: 412, and the newer change stands', async () => {
    const stale = await etagOf('d-token-1');
    const fresh = await send('PATCH', '/decoys/d-token-1', { body: '{"memo": "moved to the CI server"}', headers: { 'if-match': stale } });
    assert.equal(fresh.status, 200);
    const before = await snapshot();
    const late = await send('PATCH', '/decoys/d-token-1', { body: '{"enabled": false}', headers: { 'if-match': stale } });
    assert.equal(late.status, 412);
    assert.equal(late.json?.error?.field, 'If-Match');
    assert.equal(await snapshot(), before);
    assert.equal((await services().store.getDecoy('d-token-1'))?.value.enabled, true);
  });

  it('concurrent PATCHes at one ETag: exactly one wins, the rest get 412, one audit entry', async () => {
    const etag = await etagOf('d-user-1');
    const auditBefore = [];
    for await (const entry of services().store.listAuditEntries()) auditBefore.push(entry);
    const answers = await Promise.all(
      ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((memo) =>
        send('PATCH', '/decoys/d-user-1', { body: JSON.stringify({ memo }), headers: { 'if-match': etag } }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 412, 412, 412, 412]);
    const winner = answers.find((answer) => answer.status === 200)!;
    const stored = await services().store.getDecoy('d-user-1');
    assert.equal(stored?.value.memo, (winner.json?.['decoy'] as { memo: string }).memo);
    assert.equal(winner.headers.etag, `"${Buffer.from(stored.etag).toString('base64url')}"`);
    const auditAfter = [];
    for await (const entry of services().store.listAuditEntries()) auditAfter.push(entry);
    assert.equal(auditAfter.length, auditBefore.length + 1);
  });

  it('a well-formed request still works after all that', async () => {
    const answer = await send('GET', '/decoys?enabled=true');
    assert.equal(answer.status, 200);
    assert.deepEqual(
      ((answer.json?.['items'] as { decoy: { id: string } }[] | undefined) ?? []).map((item) => item.decoy.id),
      ['d-token-1', 'd-user-1'],
    );
  });
});

describe('admin API: a request that never finishes arriving', () => {
  it('is answered 408 and its connection closed once the request timeout passes; nothing is written', async () => {
    const tenant = await startTenantKeys(NOW);
    const services = await testServices({ settings: tenant.settings, clock: fixedClock(NOW.toISOString()) });
    // A short timeout stands in for the 30 s one: the behaviour, not the length, is under test.
    const server = await startLocalApiServer(adminApiFor(services), 0, { requestTimeoutInMs: 300 });
    try {
      const { port } = new URL(server.url);
      const socket = net.connect(Number(port), '127.0.0.1');
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const body = JSON.stringify({ register: { id: 'd-stalled', kind: 'token', kid: 'stalled-kid' } });
      socket.write(
        `POST /api/decoys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${await tenant.mint()}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await closed;
      assert.match(Buffer.concat(received).toString('latin1'), /^HTTP\/1\.1 408 /);
      assert.deepEqual(await services.store.listDecoys(), []);
      // The server still serves the next caller.
      const answer = await fetch(`${server.url}/decoys`, { headers: { authorization: `Bearer ${await tenant.mint()}` } });
      assert.equal(answer.status, 200);
    } finally {
      await server.close();
      await tenant.close();
    }
  });
});
