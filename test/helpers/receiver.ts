import http from 'node:http';

/** What the receiver does with the next request. */
export interface ReceiverAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Drop the connection without answering (the receiver is down). */
  readonly hangUp?: boolean;
}

export interface ReceivedRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A loopback HTTP endpoint standing in for a Teams Workflows URL or a SIEM webhook: records every request
 * it answers, and answers from a script (then with `fallback`).
 */
export interface Receiver {
  readonly url: string;
  /** Requests it answered with a 2xx. */
  readonly received: ReceivedRequest[];
  /** Every request, answered or not. */
  readonly attempts: number;
  script(...answers: ReceiverAnswer[]): void;
  close(): Promise<void>;
}

export async function startReceiver(fallback: ReceiverAnswer = { status: 200 }): Promise<Receiver> {
  const queue: ReceiverAnswer[] = [];
  const received: ReceivedRequest[] = [];
  let attempts = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      attempts += 1;
      const answer = queue.shift() ?? fallback;
      if (answer.hangUp) {
        request.socket.destroy();
        return;
      }
      const status = answer.status ?? 200;
      if (status >= 200 && status < 300) received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status, answer.headers);
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hook?sig=secret-signature`,
    received,
    get attempts() {
      return attempts;
    },
    script: (...answers) => void queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
