import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { PROJECT_ROOT } from './paths.js';

const TLS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'tls');

/** The person the fake signs in, and the roles their token carries. */
export interface FakePerson {
  readonly objectId: string;
  readonly userPrincipalName: string;
  readonly roles: readonly string[];
}

export interface FakeEntraSignIn {
  /** `https://127.0.0.1:<port>`: the cloud's login host as Lure and MSAL see it. */
  readonly url: string;
  /** What the fake saw, in order: `authorize (S256)`, `token (PKCE verified)`, `logout`. */
  readonly events: string[];
  close(): Promise<void>;
}

/**
 * A loopback fake of Entra's sign-in for a SPA, over TLS (MSAL refuses an http authority): OpenID
 * discovery, the authorize endpoint (authorization code, PKCE S256 required), the token endpoint (the code
 * once, its verifier checked, CORS as Entra answers a SPA), the tenant's key set, and sign-out. Access
 * tokens are v2 tokens for the API with `scp` and the person's roles, signed by a key the fake publishes.
 */
export async function startFakeEntraSignIn(options: {
  readonly tenantId: string;
  readonly apiClientId: string;
  readonly person: FakePerson;
}): Promise<FakeEntraSignIn> {
  const { tenantId, apiClientId, person } = options;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'fake-entra-key', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; clientId: string; redirectUri: string; scope: string }>();
  const events: string[] = [];
  let base = '';
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST, OPTIONS' };
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', ...cors });
    response.end(JSON.stringify(body));
  };
  const server = https.createServer(
    { cert: readFileSync(path.join(TLS, 'loopback-cert.pem')), key: readFileSync(path.join(TLS, 'loopback-key.pem')) },
    (request, response) => {
      void (async () => {
        const url = new URL(request.url ?? '/', base);
        const tenantPath = `/${tenantId}`;
        if (request.method === 'OPTIONS') {
          response.writeHead(204, cors);
          response.end();
          return;
        }
        if (url.pathname === `${tenantPath}/v2.0/.well-known/openid-configuration`) {
          json(response, 200, {
            issuer: `${base}${tenantPath}/v2.0`,
            authorization_endpoint: `${base}${tenantPath}/oauth2/v2.0/authorize`,
            token_endpoint: `${base}${tenantPath}/oauth2/v2.0/token`,
            end_session_endpoint: `${base}${tenantPath}/oauth2/v2.0/logout`,
            jwks_uri: `${base}${tenantPath}/discovery/v2.0/keys`,
            response_modes_supported: ['query', 'fragment', 'form_post'],
            response_types_supported: ['code'],
            scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            code_challenge_methods_supported: ['S256'],
          });
          return;
        }
        if (url.pathname === `${tenantPath}/discovery/v2.0/keys`) {
          json(response, 200, { keys: [jwk] });
          return;
        }
        if (url.pathname === `${tenantPath}/oauth2/v2.0/authorize`) {
          const query = url.searchParams;
          if (query.get('code_challenge_method') !== 'S256' || query.get('response_type') !== 'code') {
            json(response, 400, { error: 'invalid_request', error_description: 'authorization code with PKCE S256 only' });
            return;
          }
          events.push('authorize (S256)');
          const code = randomUUID();
          codes.set(code, {
            challenge: query.get('code_challenge') ?? '',
            nonce: query.get('nonce') ?? '',
            clientId: query.get('client_id') ?? '',
            redirectUri: query.get('redirect_uri') ?? '',
            scope: query.get('scope') ?? '',
          });
          const answer = new URLSearchParams({ code, state: query.get('state') ?? '', client_info: clientInfo() });
          const separator = query.get('response_mode') === 'query' ? '?' : '#';
          response.writeHead(302, { location: `${query.get('redirect_uri') ?? ''}${separator}${answer.toString()}` });
          response.end();
          return;
        }
        if (url.pathname === `${tenantPath}/oauth2/v2.0/token` && request.method === 'POST') {
          const form = new URLSearchParams(await bodyOf(request));
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          if (
            grant === undefined ||
            createHash('sha256').update(verifier).digest('base64url') !== grant.challenge ||
            form.get('client_id') !== grant.clientId
          ) {
            json(response, 400, { error: 'invalid_grant', error_description: 'the code is unknown or used, or the verifier does not match' });
            return;
          }
          events.push('token (PKCE verified)');
          const now = Math.floor(Date.now() / 1000);
          const sign = (claims: Record<string, unknown>, audience: string) =>
            new SignJWT(claims)
              .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'fake-entra-key' })
              .setIssuer(`${base}${tenantPath}/v2.0`)
              .setAudience(audience)
              .setIssuedAt(now - 30)
              .setNotBefore(now - 30)
              .setExpirationTime(now + 3600)
              .sign(signing.privateKey);
          const common = { tid: tenantId, oid: person.objectId, preferred_username: person.userPrincipalName, name: person.userPrincipalName, ver: '2.0' };
          json(response, 200, {
            token_type: 'Bearer',
            scope: grant.scope
              .split(' ')
              .filter((scope) => scope.startsWith('api://'))
              .join(' '),
            expires_in: 3600,
            ext_expires_in: 3600,
            access_token: await sign({ ...common, azp: grant.clientId, scp: 'access_as_user', roles: [...person.roles] }, apiClientId),
            id_token: await sign({ ...common, nonce: grant.nonce, sub: person.objectId }, grant.clientId),
            client_info: clientInfo(),
          });
          return;
        }
        if (url.pathname === `${tenantPath}/oauth2/v2.0/logout`) {
          events.push('logout');
          response.writeHead(302, { location: url.searchParams.get('post_logout_redirect_uri') ?? '/' });
          response.end();
          return;
        }
        json(response, 404, { error: 'not_found' });
      })().catch(() => {
        response.writeHead(500);
        response.end();
      });
    },
  );
  function clientInfo(): string {
    return Buffer.from(JSON.stringify({ uid: person.objectId, utid: tenantId })).toString('base64url');
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake sign-in has no port');
  base = `https://127.0.0.1:${address.port}`;
  return {
    url: base,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
