import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { AdminApi } from '../../app/admin/adminApi.js';
import { ApiError } from '../../app/admin/apiError.js';
import { tooLarge } from '../../app/admin/adminApi.js';
import { getServices, type Services } from '../services.js';
import { adminApiFor } from '../adminHosting.js';
import { builtConsoleDirectory, type ConsoleFiles, consoleFiles } from '../consoleFiles.js';

const apis = new WeakMap<Services, AdminApi>();
const consoles = new WeakMap<Services, ConsoleFiles>();

/** The handler of the admin API's HTTP function: adapts the host's request to the API and back. */
export async function adminHttpHandler(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const services = await getServices();
  const url = new URL(request.url);
  // One function serves the page and the API (host.json routePrefix ""), so the console needs no server of its own.
  if (!url.pathname.startsWith('/api/')) {
    let files = consoles.get(services);
    if (files === undefined) {
      files = consoleFiles({ directory: builtConsoleDirectory(), loginHost: services.config.signing.authorityHost });
      consoles.set(services, files);
    }
    const answer = files.answer(request.method, url.pathname);
    return { status: answer.status, headers: answer.headers, ...(answer.body === undefined ? {} : { body: answer.body }) };
  }
  let api = apis.get(services);
  if (api === undefined) {
    api = adminApiFor(services);
    apis.set(services, api);
  }
  // The front end appends the address it saw: earlier entries are whatever the client sent.
  const forwardedFor = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
  const response = await api.handle({
    method: request.method,
    url,
    headers: request.headers,
    readBody: async (limitInBytes) => {
      const bytes = await request.arrayBuffer();
      if (bytes.byteLength > limitInBytes) throw tooLarge();
      return utf8Of(bytes);
    },
    ...(forwardedFor === undefined || forwardedFor === '' ? {} : { ipAddress: forwardedFor }),
  });
  return { status: response.status, headers: response.headers, ...(response.body === undefined ? {} : { body: response.body }) };
}

/** Decodes a body as UTF-8, refusing bytes that are not (a clear 400, not a garbled string). */
export function utf8Of(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'malformedJson', 'the body is not UTF-8 text');
  }
}
