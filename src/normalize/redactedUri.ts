/** Query parameters that carry credentials in URLs (OAuth, SAS, SignalR/WebSocket tokens). */
const SECRET_PARAMETERS = new Set([
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'code',
  'client_secret',
  'password',
  'sig',
  'signature',
  'key',
  'api-key',
  'apikey',
  'assertion',
]);
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g;
/**
 * A parameter with one of those names, in a query without percent-encoding (where names need no
 * decoding): one test instead of taking every query apart. The names are letters, `_` and `-`, literal
 * in a pattern. Unicode case folding (`u`), as the full path's `toLowerCase` reads the Kelvin sign `K` as
 * `k`: it may match more than the full path redacts (which then decides), never less.
 */
const SECRET_PARAMETER = new RegExp(`(?:^|&)(?:${[...SECRET_PARAMETERS].join('|')})=`, 'iu');

/**
 * A request URI safe to keep in events, alerts and the store: values of credential-bearing query
 * parameters and anything shaped like a JWT are replaced. Gateways log full URLs, and some clients
 * (SignalR, WebSockets) put the bearer token in `?access_token=`.
 */
export function redactedUri(uri: string): string {
  const queryStart = uri.indexOf('?');
  // Most request URIs (every Graph record has one) hold no token, and no query or one like Graph's `$top=10`:
  // nothing to rebuild.
  if (!uri.includes('eyJ') && (queryStart === -1 || (!uri.includes('%', queryStart) && !SECRET_PARAMETER.test(uri.slice(queryStart + 1))))) return uri;
  const path = queryStart === -1 ? uri : uri.slice(0, queryStart);
  const query =
    queryStart === -1
      ? ''
      : `?${uri
          .slice(queryStart + 1)
          .split('&')
          .map((pair) => {
            const separator = pair.indexOf('=');
            const name = decodeSafely(separator === -1 ? pair : pair.slice(0, separator)).toLowerCase();
            return separator !== -1 && SECRET_PARAMETERS.has(name) ? `${pair.slice(0, separator)}=[redacted]` : pair;
          })
          .join('&')}`;
  return `${path}${query}`.replace(JWT, '[redacted-token]');
}

function decodeSafely(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
