import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { LOOPBACK_TLS } from './fakeGraph.js';

/** A declared stream column, as a data collection rule's `streamDeclarations` names it. */
export interface DeclaredColumn {
  readonly name: string;
  readonly type: string;
}

/** A scripted answer: a status, headers and a JSON body (the service's error shape for failures). */
export interface IngestionAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/**
 * A loopback HTTPS fake of the Azure Monitor Logs Ingestion API, strict where the service is: the path names
 * the rule's immutable id and its stream, `api-version` is 2023-01-01, the body is JSON (gzipped when the
 * client says so) holding an array of rows whose every column the stream declares with a value of its type,
 * and the bearer token is the one the fake token endpoint issued. Anything else is the service's 400 or 401;
 * scripted answers come first. Accepted rows are kept.
 */
export interface FakeLogsIngestion {
  readonly url: string;
  readonly rows: Record<string, unknown>[];
  /** Every request: method, path and the checks it passed or failed. */
  readonly requests: { readonly path: string; readonly status: number; readonly gzipped: boolean }[];
  script(...answers: IngestionAnswer[]): void;
  close(): Promise<void>;
}

export async function startFakeLogsIngestion(expected: {
  readonly ruleId: string;
  readonly stream: string;
  readonly accessToken: string;
  readonly columns: readonly DeclaredColumn[];
}): Promise<FakeLogsIngestion> {
  const rows: Record<string, unknown>[] = [];
  const requests: { path: string; status: number; gzipped: boolean }[] = [];
  const scripted: IngestionAnswer[] = [];
  const declared = new Map(expected.columns.map((column) => [column.name, column.type]));

  const judge = (
    method: string,
    url: URL,
    headers: NodeJS.Dict<string | string[]>,
    raw: Buffer,
  ): IngestionAnswer & { accepted?: Record<string, unknown>[] } => {
    if (method !== 'POST') return error(405, 'MethodNotAllowed', 'POST only');
    if (headers['authorization'] !== `Bearer ${expected.accessToken}`)
      return error(401, 'InvalidToken', 'the bearer token is not one the login endpoint issued');
    if (url.pathname !== `/dataCollectionRules/${expected.ruleId}/streams/${expected.stream}`)
      return error(404, 'NotFound', `no rule ${expected.ruleId} with stream ${expected.stream} at ${url.pathname}`);
    // The SDK writes `api%2Dversion`; URLSearchParams decodes it as the service does.
    if (url.searchParams.get('api-version') !== '2023-01-01') return error(400, 'InvalidApiVersion', 'api-version must be 2023-01-01');
    if (!String(headers['content-type'] ?? '').startsWith('application/json'))
      return error(415, 'UnsupportedMediaType', 'Content-Type must be application/json');
    let body: unknown;
    try {
      body = JSON.parse((headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
    } catch {
      return error(400, 'InvalidPayload', 'the body is not JSON');
    }
    if (!Array.isArray(body)) return error(400, 'InvalidPayload', 'the body must be an array of rows');
    for (const row of body as unknown[]) {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return error(400, 'InvalidPayload', 'a row is not an object');
      for (const [name, value] of Object.entries(row)) {
        const type = declared.get(name);
        if (type === undefined) return error(400, 'InvalidStream', `column ${name} is not declared by stream ${expected.stream}`);
        if (!typed(type, value)) return error(400, 'InvalidStream', `column ${name} is not a ${type}`);
      }
    }
    return { status: 204, accepted: body as Record<string, unknown>[] };
  };

  const server = https.createServer(LOOPBACK_TLS, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'https://ingest.invalid');
      const checked = judge(request.method ?? 'GET', url, request.headers, Buffer.concat(chunks));
      // A scripted failure stands in for the service's own, once the request itself was sound.
      const answer = checked.status === 204 && scripted.length > 0 ? scripted.shift()! : checked;
      if (answer.status === 204 && checked.accepted !== undefined) rows.push(...checked.accepted);
      requests.push({ path: url.pathname, status: answer.status, gzipped: request.headers['content-encoding'] === 'gzip' });
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake ingestion has no port');
  return {
    url: `https://127.0.0.1:${address.port}`,
    rows,
    requests,
    script: (...answers) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function error(status: number, code: string, message: string): IngestionAnswer {
  return { status, body: { error: { code, message } } };
}

function typed(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'long':
    case 'int':
      return Number.isInteger(value);
    case 'real':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    case 'dynamic':
      return typeof value === 'object';
    default:
      return false;
  }
}
