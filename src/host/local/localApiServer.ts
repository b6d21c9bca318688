import http from 'node:http';
import type { AdminApi } from '../../app/admin/adminApi.js';
import { tooLarge } from '../../app/admin/adminApi.js';
import { utf8Of } from '../functions/httpTrigger.js';

export interface LocalApiServer {
  /** `http://127.0.0.1:<port>/api` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * How long a request may take to arrive, headers and body (Node's default is 300 s): a client that trickles
 * a body, or stops halfway, is answered 408 and its connection freed well before that.
 */
export const REQUEST_TIMEOUT_IN_MS = 30_000;

/**
 * Serves the admin API on loopback for the local host (`npm start`), the same routes as the Functions host.
 * No CORS headers, by design: no page of another origin may read the API's answers, and the web console
 * is to be served from the API's own origin.
 */
export async function startLocalApiServer(api: AdminApi, port: number, requestTimeoutInMs = REQUEST_TIMEOUT_IN_MS): Promise<LocalApiServer> {
  const timeouts = {
    requestTimeout: requestTimeoutInMs,
    headersTimeout: Math.min(10_000, requestTimeoutInMs),
    // Node checks the timeouts on this rhythm (30 s by default), so it bounds how late a timeout fires.
    connectionsCheckingInterval: Math.min(1_000, requestTimeoutInMs),
  };
  const server = http.createServer(timeouts, (request, response) => {
    void (async () => {
      const answer = await api.handle({
        method: request.method ?? 'GET',
        url: new URL(request.url ?? '/', 'http://127.0.0.1'),
        headers: { get: (name) => headerOf(request, name) },
        readBody: (limitInBytes) => readLimited(request, limitInBytes),
        ...(request.socket.remoteAddress === undefined ? {} : { ipAddress: request.socket.remoteAddress }),
      });
      // A request whose body was left unread cannot share its connection with the next one.
      response.writeHead(answer.status, request.complete ? answer.headers : { ...answer.headers, Connection: 'close' });
      response.end(answer.body);
    })().catch(() => {
      // AdminApi answers every failure itself; this is a broken connection.
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the admin API server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/api`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headerOf(request: http.IncomingMessage, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads at most `limitInBytes`. A longer body is refused without reading the rest: the request is paused
 * (not destroyed, so the 413 can still be written) and the connection closes after the answer.
 */
async function readLimited(request: http.IncomingMessage, limitInBytes: number): Promise<string> {
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limitInBytes) {
        request.off('data', onData);
        request.off('end', onEnd);
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
  // Bytes that are not UTF-8 reject the read, as utf8Of throws.
  return utf8Of(body);
}
