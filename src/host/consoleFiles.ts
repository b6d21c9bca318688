import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** An answer of the console's static files, for either host. */
export interface WebAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
}

export interface ConsoleFiles {
  /** The answer to a request outside `/api`: the page, its assets, or 404/405. */
  answer(method: string, pathname: string): WebAnswer;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** Where `npm run build` puts the console: dist/console of the package this module belongs to. */
export function builtConsoleDirectory(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return path.join(directory, 'dist', 'console');
}

/**
 * The web console's files, read once from the build: `/` is the page, `/assets/<name>` its hashed scripts
 * and styles. Every answer carries a strict Content-Security-Policy: scripts and styles from this origin
 * only, requests to this origin and the cloud's login host (MSAL's token endpoint), no framing, no inline
 * anything. Alert and evidence text is attacker-controlled; the page writes it as text, and the policy is
 * the second wall.
 */
export function consoleFiles(options: { readonly directory: string; readonly loginHost: string }): ConsoleFiles {
  const files = readBuild(options.directory);
  const security = {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${new URL(options.loginHost).origin}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  } as const;
  const text = (status: number, body: string, extra: Record<string, string> = {}): WebAnswer => ({
    status,
    headers: { ...security, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
    body,
  });
  return {
    answer(method, pathname) {
      if (method !== 'GET' && method !== 'HEAD') return text(405, 'only GET\n', { Allow: 'GET, HEAD' });
      if (files === undefined) return text(503, 'The console is not built: run npm run build.\n');
      const name = pathname === '/' || pathname === '/index.html' ? 'index.html' : /^\/assets\/([A-Za-z0-9._-]+)$/.exec(pathname)?.[1];
      const body = name === undefined ? undefined : files.get(name);
      if (name === undefined || body === undefined) return text(404, 'not found\n');
      return {
        status: 200,
        headers: {
          ...security,
          'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
          // The page names its assets by content hash: they never change under a name, the page always may.
          'Cache-Control': name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
        },
        ...(method === 'HEAD' ? {} : { body }),
      };
    },
  };
}

/** index.html and every asset, by name; undefined when the console was not built. */
function readBuild(directory: string): Map<string, Buffer> | undefined {
  if (!existsSync(path.join(directory, 'index.html'))) return undefined;
  const files = new Map<string, Buffer>([['index.html', readFileSync(path.join(directory, 'index.html'))]]);
  const assets = path.join(directory, 'assets');
  if (existsSync(assets)) for (const name of readdirSync(assets)) files.set(name, readFileSync(path.join(assets, name)));
  return files;
}
