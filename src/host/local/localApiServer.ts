import http from 'node:http';
import type { AdminApi } from '../../app/admin/adminApi.js';
import { tooLarge } from '../../app/admin/adminApi.js';
import { utf8Of } from '../functions/httpTrigger.js';
import type { ConsoleFiles } from '../consoleFiles.js';
import { RESPONSE_HEADERS } from '../../app/admin/adminApi.js';

export interface LocalApiServer {
  /** `http://127.0.0.1:<port>/api` */
  readonly url: string;
  close(): Promise<void>;
}

/** What the local host serves besides the API: the console, and its one-time sign-in. */
export interface LocalWebOptions {
  readonly console?: ConsoleFiles;
  /** Trades the one-time code of the printed sign-in link for a dev token (undefined: not that code, or used). */
  readonly signIn?: (code: string) => Promise<string | undefined>;
  readonly requestTimeoutInMs?: number;
}

/** The local host's sign-in exchange: outside /api, so no route of the Azure-hosted API can ever be it. */
export const LOCAL_SIGN_IN_PATH = '/local/sign-in';

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
export async function startLocalApiServer(api: AdminApi, port: number, options: LocalWebOptions = {}): Promise<LocalApiServer> {
  const requestTimeoutInMs = options.requestTimeoutInMs ?? REQUEST_TIMEOUT_IN_MS;
  const timeouts = {
    requestTimeout: requestTimeoutInMs,
    headersTimeout: Math.min(10_000, requestTimeoutInMs),
    // Node checks the timeouts on this rhythm (30 s by default), so it bounds how late a timeout fires.
    connectionsCheckingInterval: Math.min(1_000, requestTimeoutInMs),
  };
  const server = http.createServer(timeouts, (request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (!url.pathname.startsWith('/api/')) {
        const answer = await webAnswer(request, url, options);
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
        return;
      }
      const answer = await api.handle({
        method: request.method ?? 'GET',
        url,
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

/** The console's files, or the sign-in exchange: `POST /local/sign-in` with `{"code": …}` answers `{"token": …}` once. */
async function webAnswer(
  request: http.IncomingMessage,
  url: URL,
  options: LocalWebOptions,
): Promise<{ status: number; headers: Record<string, string>; body?: Buffer | string }> {
  const json = (status: number, body: unknown) => ({
    status,
    headers: { ...RESPONSE_HEADERS },
    body: JSON.stringify(body),
  });
  if (url.pathname === LOCAL_SIGN_IN_PATH && options.signIn !== undefined) {
    if (request.method !== 'POST') return json(405, { error: { code: 'methodNotAllowed', message: 'only POST' } });
    let code: unknown;
    try {
      code = (JSON.parse(await readLimited(request, 1024)) as { code?: unknown }).code;
    } catch {
      return json(400, { error: { code: 'malformedJson', message: 'the body must be {"code": "<the code of the sign-in link>"}' } });
    }
    const token = typeof code === 'string' ? await options.signIn(code) : undefined;
    if (token === undefined)
      return json(401, {
        error: { code: 'unauthenticated', message: "that sign-in link was used already or is not this host's: sign in with npx lure dev-token" },
      });
    return json(200, { token });
  }
  if (options.console === undefined) return json(404, { error: { code: 'notFound', message: 'no such route' } });
  const answer = options.console.answer(request.method ?? 'GET', url.pathname);
  return { status: answer.status, headers: { ...answer.headers }, ...(answer.body === undefined ? {} : { body: answer.body }) };
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
