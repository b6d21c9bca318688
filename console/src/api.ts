import type { ErrorBody } from './types.js';

/** A refusal or failure of the API, with its code and message as the API wrote them. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Answer<T> {
  readonly body: T;
  readonly etag?: string;
}

/** Calls the API of this origin with the signed-in person's token. */
export class Api {
  constructor(private readonly token: () => Promise<string>) {}

  async get<T>(path: string): Promise<Answer<T>> {
    return this.call<T>('GET', path);
  }

  async send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, ifMatch?: string): Promise<Answer<T>> {
    return this.call<T>(method, path, body, ifMatch);
  }

  private async call<T>(method: string, path: string, body?: unknown, ifMatch?: string): Promise<Answer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token()}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch !== undefined) headers['if-match'] = ifMatch;
    const response = await fetch(`/api${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const error = (parsed as ErrorBody | undefined)?.error;
      throw new ApiFailure(response.status, error?.code ?? 'failed', error?.message ?? `HTTP ${response.status}`);
    }
    const etag = response.headers.get('etag');
    return { body: parsed as T, ...(etag === null ? {} : { etag }) };
  }
}
