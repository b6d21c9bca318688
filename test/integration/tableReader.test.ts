import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';
import { useAzurite } from '../helpers/azurite.js';

const azurite = useAzurite();

/**
 * Azurite behind a loopback proxy that answers table creation as Table Storage answers a caller with only
 * Storage Table Data Reader (403 AuthorizationPermissionMismatch), and passes everything else through.
 */
async function startReaderProxy(target: URL): Promise<{ url: string; refused: () => number; close: () => Promise<void> }> {
  let refused = 0;
  const server = http.createServer((request, response) => {
    if (request.method === 'POST' && /\/Tables(\?|$)/.test(request.url ?? '')) {
      refused += 1;
      request.resume();
      response.writeHead(403, { 'content-type': 'application/json', 'x-ms-error-code': 'AuthorizationPermissionMismatch' });
      response.end(JSON.stringify({ 'odata.error': { code: 'AuthorizationPermissionMismatch', message: { value: 'This request is not authorized.' } } }));
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return { url: `http://127.0.0.1:${address.port}`, refused: () => refused, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('Table Storage for a caller who may only read', () => {
  let proxy: Awaited<ReturnType<typeof startReaderProxy>>;
  const prefix = () => `reader${process.pid}`;

  before(async () => {
    const endpoint = /TableEndpoint=([^;]+)/.exec(azurite.connectionString())?.[1];
    assert.ok(endpoint !== undefined, 'Azurite names its table endpoint');
    proxy = await startReaderProxy(new URL(endpoint));
  });
  after(() => proxy.close());

  it('connects to tables that exist (lure status from a laptop) instead of failing on the 403 to creating them', async () => {
    const writer = await connectTableStateStore({ connection: { connectionString: azurite.connectionString() }, tablePrefix: prefix() });
    await writer.recordStreamArrivals([{ stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-12-07T01:00:00.000Z' }]);
    const readerConnection = azurite.connectionString().replace(/TableEndpoint=[^;]+/, `TableEndpoint=${proxy.url}/devstoreaccount1`);
    const reader = await connectTableStateStore({ connection: { connectionString: readerConnection }, tablePrefix: prefix() });
    assert.ok(proxy.refused() >= 10, `every table creation was refused (${proxy.refused()})`);
    assert.deepEqual(await reader.listStreams(), [{ stream: 'source:entra', source: 'entra', lastArrivalAt: '2026-12-07T01:00:00.000Z' }]);
  });
});
