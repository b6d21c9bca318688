import http from 'node:http';

/** A blob the fake lists: its id, when it was created, and the records it holds. */
export interface FakeBlob {
  readonly contentId: string;
  readonly contentCreated: string;
  readonly records: readonly Record<string, unknown>[];
  /** Where the listing says to fetch it (default: the fake's own content URL). */
  readonly contentUri?: string;
  /** The raw body a fetch answers instead of the records (to serve something that is not a JSON array). */
  readonly answer?: string;
}

export interface FakeManagementApi {
  readonly url: string;
  /** Every request as `METHOD path?query` (the path after the host). */
  readonly requests: string[];
  /** Bearer tokens seen. */
  readonly tokens: string[];
  /** Blobs per content type. */
  readonly blobs: Map<string, FakeBlob[]>;
  readonly subscriptions: Set<string>;
  /** Content types an admin disabled, with who (`a tenant admin`): listing and start answer AF20023. */
  readonly disabled: Map<string, string>;
  /** When start was last requested per content type (fake clock, ms): another within 15 minutes is refused. */
  readonly startRequestedAt: Map<string, number>;
  /** An admin disables the content type's subscription (or turns unified audit logging off). */
  disableSubscription(contentType: string, by?: 'a tenant admin' | 'a service admin'): void;
  /** An admin enables it again: listed as a started subscription from now on. */
  enableSubscription(contentType: string): void;
  /** Listings answer at most this many items per page (then a `NextPageUri`). */
  pageSize: number;
  /** The next requests whose path includes `fragment` get this status (with Retry-After when given), once each. */
  failNext(fragment: string, status: number, retryAfterInSeconds?: number, times?: number): void;
  /** Content fetches per content id. */
  fetchesOf(contentId: string): number;
  close(): Promise<void>;
}

/** The fake's answer to a start request within 15 minutes of the last one for the same content type. */
export const START_THROTTLED = { status: 429, code: 'AF429' } as const;

/**
 * A loopback fake of the Office 365 Management Activity API: subscriptions/start (AF20024 when started
 * already; refused within 15 minutes of the previous start request; AF20023 when an admin disabled it),
 * subscriptions/content listing (AF20022 without a subscription, AF20023 when disabled) by contentCreated within a window of at most 24 hours and no more
 * than seven days back (AF20055 otherwise) with `NextPageUri` paging, and content fetches.
 */
export async function startFakeManagementApi(tenantId: string, now: () => Date): Promise<FakeManagementApi> {
  const requests: string[] = [];
  const tokens: string[] = [];
  const blobs = new Map<string, FakeBlob[]>();
  const subscriptions = new Set<string>();
  const disabled = new Map<string, string>();
  const startRequestedAt = new Map<string, number>();
  const faults: { fragment: string; status: number; retryAfter?: number }[] = [];
  const fetches = new Map<string, number>();
  const base = `/api/v1.0/${tenantId}/activity/feed`;
  let url = '';
  const api: FakeManagementApi = {
    get url() {
      return url;
    },
    requests,
    tokens,
    blobs,
    subscriptions,
    disabled,
    startRequestedAt,
    disableSubscription(contentType, by = 'a tenant admin') {
      disabled.set(contentType, by);
    },
    enableSubscription(contentType) {
      disabled.delete(contentType);
      subscriptions.add(contentType);
    },
    pageSize: 100,
    failNext(fragment, status, retryAfterInSeconds, times = 1) {
      for (let index = 0; index < times; index += 1)
        faults.push({ fragment, status, ...(retryAfterInSeconds === undefined ? {} : { retryAfter: retryAfterInSeconds }) });
    },
    fetchesOf: (contentId) => fetches.get(contentId) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const send = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/', url);
    requests.push(`${request.method} ${target.pathname}${target.search}`);
    tokens.push((request.headers.authorization ?? '').replace(/^Bearer /, ''));
    const fault = faults.findIndex((candidate) => target.pathname.includes(candidate.fragment));
    if (fault >= 0) {
      const { status, retryAfter } = faults.splice(fault, 1)[0]!;
      send(
        response,
        status,
        { error: { code: status === 429 ? 'AF429' : 'AF50000', message: 'scripted fault' } },
        retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
      );
      return;
    }
    if (request.headers.authorization === undefined || target.searchParams.get('PublisherIdentifier') === null) {
      send(response, 401, { error: { code: 'AF10001', message: 'no token or publisher' } });
      return;
    }
    const contentType = target.searchParams.get('contentType') ?? '';
    const disabledBy = disabled.get(contentType);
    const disabledAnswer = { error: { code: 'AF20023', message: `The subscription was disabled by ${disabledBy ?? ''}.` } };
    if (request.method === 'POST' && target.pathname === `${base}/subscriptions/start`) {
      // Microsoft documents the 15-minute wait between start requests, not the error that enforces it: the
      // status and code here are a plausible guess.
      const previous = startRequestedAt.get(contentType);
      startRequestedAt.set(contentType, now().getTime());
      if (previous !== undefined && now().getTime() - previous < 15 * 60_000) {
        send(response, START_THROTTLED.status, {
          error: { code: START_THROTTLED.code, message: 'Please wait 15 minutes after a subscription request before another (fake).' },
        });
        return;
      }
      if (disabledBy !== undefined) {
        send(response, 400, disabledAnswer);
        return;
      }
      if (subscriptions.has(contentType)) {
        send(response, 400, { error: { code: 'AF20024', message: 'The subscription is already enabled. No property change.' } });
        return;
      }
      subscriptions.add(contentType);
      send(response, 200, { contentType, status: 'enabled', webhook: null });
      return;
    }
    if (request.method === 'GET' && target.pathname === `${base}/subscriptions/content`) {
      if (disabledBy !== undefined) {
        send(response, 400, disabledAnswer);
        return;
      }
      if (!subscriptions.has(contentType)) {
        send(response, 400, { error: { code: 'AF20022', message: 'No subscription found for the specified content type' } });
        return;
      }
      const start = Date.parse(`${target.searchParams.get('startTime')}Z`);
      const end = Date.parse(`${target.searchParams.get('endTime')}Z`);
      if (!(end > start) || end - start > 86_400_000 || start < now().getTime() - 7 * 86_400_000) {
        send(response, 400, {
          error: {
            code: 'AF20055',
            message:
              'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.',
          },
        });
        return;
      }
      const offset = Number(target.searchParams.get('nextPage') ?? '0');
      const inWindow = (blobs.get(contentType) ?? []).filter((blob) => Date.parse(blob.contentCreated) >= start && Date.parse(blob.contentCreated) < end);
      const page = inWindow.slice(offset, offset + api.pageSize);
      const headers: Record<string, string> = {};
      if (offset + api.pageSize < inWindow.length) {
        // As the API documents it: the next page's URI without the caller's PublisherIdentifier.
        const next = new URL(target);
        next.searchParams.delete('PublisherIdentifier');
        next.searchParams.set('nextPage', String(offset + api.pageSize));
        headers['NextPageUri'] = next.toString();
      }
      send(
        response,
        200,
        page.map((blob) => ({
          contentType,
          contentId: blob.contentId,
          contentUri: blob.contentUri ?? `${url}${base}/audit/${encodeURIComponent(blob.contentId)}`,
          contentCreated: blob.contentCreated,
          contentExpiration: new Date(Date.parse(blob.contentCreated) + 7 * 86_400_000).toISOString(),
        })),
        headers,
      );
      return;
    }
    if (request.method === 'GET' && target.pathname.startsWith(`${base}/audit/`)) {
      const contentId = decodeURIComponent(target.pathname.slice(`${base}/audit/`.length));
      const blob = [...blobs.values()].flat().find((candidate) => candidate.contentId === contentId);
      if (blob === undefined) {
        send(response, 404, { error: { code: 'AF20051', message: 'content not found' } });
        return;
      }
      fetches.set(contentId, (fetches.get(contentId) ?? 0) + 1);
      if (blob.answer !== undefined) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(blob.answer);
        return;
      }
      send(response, 200, blob.records);
      return;
    }
    send(response, 404, { error: { code: 'AF404', message: `no route ${request.method} ${target.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Management Activity API has no port');
  url = `http://127.0.0.1:${address.port}`;
  return api;
}

/** An Exchange MailItemsAccessed record as the Management Activity API writes it. */
export function exchangeRecord(id: string, creationTime: string): Record<string, unknown> {
  return {
    CreationTime: creationTime.slice(0, 19),
    Id: id,
    Operation: 'MailItemsAccessed',
    OrganizationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    RecordType: 50,
    ResultStatus: 'Succeeded',
    UserKey: '10032001A1B2C3D4',
    UserType: 0,
    Version: 1,
    Workload: 'Exchange',
    UserId: 'finance-archive@contoso.example',
    AppId: '00000002-0000-0ff1-ce00-000000000000',
    ClientAppId: '',
    ClientIPAddress: '203.0.113.45',
    MailboxOwnerUPN: 'finance-archive@contoso.example',
    OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }],
    Folders: [{ FolderItems: [{ InternetMessageId: `<${id}@contoso.example>` }], Path: '\\Inbox' }],
  };
}
