import http from 'node:http';

/** A response the fake sends for one request: a status, headers and a JSON body. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Hold the response this long (to exercise timeouts). */
  readonly delayInMs?: number;
}

/**
 * A loopback fake of Entra's login host, serving key sets at `/{tenant}/discovery/v2.0/keys[?appid=]`.
 * Each path answers from its queue of scripted responses, then keeps answering with the last one.
 */
export interface FakeLogin {
  readonly url: string;
  readonly requests: string[];
  script(path: string, ...responses: FakeResponse[]): void;
  close(): Promise<void>;
}

export async function startFakeLogin(): Promise<FakeLogin> {
  const scripts = new Map<string, FakeResponse[]>();
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const queue = scripts.get(path);
    const next = queue === undefined ? { status: 404, body: { error: 'not_found' } } : queue.length > 1 ? queue.shift()! : queue[0]!;
    setTimeout(() => {
      response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      response.end(next.body === undefined ? '' : JSON.stringify(next.body));
    }, next.delayInMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake login has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    script(path, ...responses) {
      scripts.set(path, [...responses]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JWKS document of keys known only by id (enough for Lure, which never verifies signatures). */
export function jwksOf(...keys: { kid: string; issuer?: string }[]): unknown {
  return {
    keys: keys.map(({ kid, issuer }) => ({
      kty: 'RSA',
      use: 'sig',
      kid,
      x5t: kid,
      n: 'AQAB',
      e: 'AQAB',
      issuer: issuer ?? 'https://login.microsoftonline.com/{tenantid}/v2.0',
    })),
  };
}
