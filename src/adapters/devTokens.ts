import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';

/**
 * Local development tokens for the admin API: `lure dev-token` mints them, `npm start` accepts them. The
 * signing key lives in the local data folder and nowhere else; the Functions entry point never loads it,
 * and the local host refuses to start with it in Azure.
 */

/** The tenant and API a local host without `LURE_TENANT_ID` / `LURE_API_CLIENT_ID` expects (never real ones). */
export const DEV_TENANT_ID = '10ca1000-0000-4000-8000-000000000001';
export const DEV_API_CLIENT_ID = '10ca1000-0000-4000-8000-0000000000a1';
/** Who a dev token says the caller is, unless told otherwise. */
export const DEV_CALLER = { objectId: '10ca1000-0000-4000-8000-00000000d0e1', userPrincipalName: 'developer@lure.local' } as const;

const KEY_FILE = 'dev-token-key.json';
/** A day: the admin API refuses any token issued to live longer than Entra's longest (28 hours). */
export const MAX_DEV_TOKEN_LIFETIME_IN_MINUTES = 24 * 60;

export interface DevSigningKey {
  readonly privateJwk: JWK;
  /** The public half, as a key set the authenticator trusts. */
  readonly publicKeys: JSONWebKeySet;
}

/** The local signing key, created (owner-readable only) on first use. */
export async function loadDevSigningKey(dataDir: string): Promise<DevSigningKey> {
  const file = path.join(dataDir, KEY_FILE);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new RangeError(`${file}: not a readable key file (delete it to make a new one)`, { cause: error });
    const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `lure-dev-${randomUUID()}`, alg: 'RS256', use: 'sig' };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' }).catch(async (writeError: unknown) => {
      // Another process made it first: use theirs.
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      privateJwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    });
    await chmod(file, 0o600);
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  return { privateJwk, publicKeys: { keys: [publicJwk] } };
}

export interface DevTokenClaims {
  readonly tenantId: string;
  readonly authorityHost: string;
  readonly audience: string;
  readonly roles: readonly string[];
  readonly objectId?: string;
  readonly userPrincipalName?: string;
  readonly lifetimeInMinutes: number;
  readonly now: Date;
}

/** A v2 access token shaped like Entra's, signed by the local key. */
export async function mintDevToken(key: DevSigningKey, claims: DevTokenClaims): Promise<string> {
  if (!(claims.lifetimeInMinutes >= 1 && claims.lifetimeInMinutes <= MAX_DEV_TOKEN_LIFETIME_IN_MINUTES)) {
    throw new RangeError(`a dev token lives 1 to ${MAX_DEV_TOKEN_LIFETIME_IN_MINUTES} minutes, not ${claims.lifetimeInMinutes}`);
  }
  const { kid } = key.privateJwk;
  if (kid === undefined) throw new RangeError('the dev signing key has no kid (delete its file to make a new one)');
  const issuedAt = Math.floor(claims.now.getTime() / 1000);
  return new SignJWT({
    tid: claims.tenantId,
    oid: claims.objectId ?? DEV_CALLER.objectId,
    preferred_username: claims.userPrincipalName ?? DEV_CALLER.userPrincipalName,
    azp: DEV_API_CLIENT_ID,
    roles: [...claims.roles],
    ver: '2.0',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(`${claims.authorityHost}/${claims.tenantId}/v2.0`)
    .setAudience(claims.audience)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + claims.lifetimeInMinutes * 60)
    .setJti(randomUUID())
    .sign(await importJWK(key.privateJwk, 'RS256'));
}
