import assert from 'node:assert/strict';
import { createSign, KeyObject, type webcrypto } from 'node:crypto';
import { after, before } from 'node:test';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { type FakeLogin, startFakeLogin } from './fakeLogin.js';
import { signInRecord, TENANT } from './records.js';
import type { Services } from '../../src/host/services.js';
import { type LocalApiServer, startLocalApiServer } from '../../src/host/local/localApiServer.js';
import { adminApiFor } from '../../src/host/adminHosting.js';

/** The tenant and API app registration the admin API tests run as. */
export const API_TENANT_ID = '3c6d1f0a-2b4e-4c8d-9e7f-5a1b2c3d4e5f';
export const API_CLIENT_ID = '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
export const TENANT_KEY_ID = 'tenant-signing-key-1';
/** The Storm-0558 key id (the stolen consumer signing key). */
export const STORM_0558_KID = '1LTMzakihiRla_8z2BEJVXeWMqo';
export const ADMIN_CALLER = { oid: '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21', upn: 'secops-admin@contoso.example' };
/** The Azure CLI's client id: a person's token through it is delegated, with `scp`. */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
/** An automation app calling with its own (application) token, and its service principal. */
export const AUTOMATION_APP = { appId: '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', oid: '7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e' };

export interface TenantKeys {
  readonly login: FakeLogin;
  /** Settings for services that accept this tenant's tokens for the API. */
  readonly settings: Record<string, string>;
  /** A token as Entra would issue it, with any claim or header overridden. */
  mint(options?: MintOptions): Promise<string>;
  /** Publishes the tenant's key again (after a test scripted an outage). */
  restoreKeys(): void;
  close(): Promise<void>;
}

export interface MintOptions {
  readonly roles?: readonly string[];
  readonly audience?: string;
  readonly issuer?: string;
  readonly tenantId?: string;
  /** Seconds since the epoch. */
  readonly issuedAt?: number;
  readonly expiresAt?: number;
  /** Sign with a key the tenant does not publish (under `kid`, default a fresh one). */
  readonly foreignKey?: boolean;
  readonly kid?: string;
  readonly objectId?: string;
  /** `app`: an application token of AUTOMATION_APP (no `scp`, no user). Default: a person's token through the Azure CLI with `scp`. */
  readonly app?: boolean;
  /** The delegated token's `scp` (default `access_as_user`). */
  readonly scopes?: string;
  /** The delegated token's client (`azp`; default the Azure CLI). */
  readonly clientId?: string;
  /** Shape it as an ID token of the same app registration: no `azp`, a `nonce`. */
  readonly idToken?: boolean;
  /** Header fields over the usual ones, of any type (a forger writes what it likes). */
  readonly header?: Record<string, unknown>;
  /** Claims over the usual ones, of any type; `undefined` removes one. */
  readonly claims?: Record<string, unknown>;
}

/**
 * A loopback login host publishing one real RSA signing key for the tenant, and a minter of tokens signed
 * by it (or by a key it does not publish). The tokens are v2 access tokens in Entra's shape.
 */
export async function startTenantKeys(now: Date): Promise<TenantKeys> {
  const tenantKey = await generateKeyPair('RS256', { extractable: true });
  const foreignKey = await generateKeyPair('RS256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(tenantKey.publicKey)), kid: TENANT_KEY_ID, use: 'sig', x5t: TENANT_KEY_ID };
  const login = await startFakeLogin();
  const restoreKeys = () => login.script(`/${API_TENANT_ID}/discovery/v2.0/keys`, { status: 200, body: { keys: [publicJwk] } });
  restoreKeys();
  const seconds = Math.floor(now.getTime() / 1000);
  return {
    login,
    settings: { LURE_TENANT_ID: API_TENANT_ID, LURE_API_CLIENT_ID: API_CLIENT_ID, LURE_AUTHORITY_HOST: login.url },
    mint(options = {}) {
      const tenantId = options.tenantId ?? API_TENANT_ID;
      const caller = options.app
        ? { oid: options.objectId ?? AUTOMATION_APP.oid, azp: AUTOMATION_APP.appId, idtyp: 'app' }
        : {
            oid: options.objectId ?? ADMIN_CALLER.oid,
            preferred_username: ADMIN_CALLER.upn,
            azp: options.clientId ?? AZURE_CLI_CLIENT_ID,
            scp: options.scopes ?? 'access_as_user',
          };
      const { azp, ...withoutClient } = caller;
      const token = new SignJWT({
        tid: tenantId,
        ...(options.idToken ? { ...withoutClient, nonce: 'n-0S6_WzA2Mj' } : { ...withoutClient, azp }),
        roles: [...(options.roles ?? ['Lure.Admin'])],
        ver: '2.0',
      })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? (options.foreignKey ? 'unpublished-key' : TENANT_KEY_ID) })
        .setIssuer(options.issuer ?? `${login.url}/${API_TENANT_ID}/v2.0`)
        .setAudience(options.audience ?? API_CLIENT_ID)
        .setIssuedAt(options.issuedAt ?? seconds - 60)
        .setNotBefore(options.issuedAt ?? seconds - 60)
        .setExpirationTime(options.expiresAt ?? seconds + 3600);
      if (options.claims !== undefined || options.header !== undefined)
        return signedAsWritten(token, options, options.foreignKey ? foreignKey.privateKey : tenantKey.privateKey);
      return token.sign(options.foreignKey ? foreignKey.privateKey : tenantKey.privateKey);
    },
    restoreKeys,
    close: () => login.close(),
  };
}

/**
 * For the enclosing suite: starts the tenant's login host, the services `servicesFor` builds to accept its
 * tokens, and the admin API over them on a free loopback port; stops the server and the login host after.
 */
export function useAdminApi(
  now: Date,
  servicesFor: (tenant: TenantKeys) => Promise<Services>,
): { readonly tenant: () => TenantKeys; readonly services: () => Services; readonly server: () => LocalApiServer } {
  let tenant: TenantKeys | undefined;
  let services: Services | undefined;
  let server: LocalApiServer | undefined;
  before(async () => {
    tenant = await startTenantKeys(now);
    services = await servicesFor(tenant);
    server = await startLocalApiServer(adminApiFor(services), 0);
  });
  after(async () => {
    await server?.close();
    await tenant?.close();
  });
  return { tenant: () => tenant!, services: () => services!, server: () => server! };
}

export const DECOY_USER_UPN = 'svc-payroll-export@contoso.example';

/** What the admin API tests find in a fresh store: a token decoy, a user decoy, and a real alert and incident. */
export interface AdminFixtures {
  readonly alertId: string;
  readonly incidentId: string;
}

/** Registers two decoys and ingests a sign-in to the user decoy, which raises an alert in an incident. */
export async function seedAdminFixtures(services: Services): Promise<AdminFixtures> {
  await services.importDecoys([
    { id: 'd-token-1', kind: 'token', enabled: true, kid: 'honey-kid-1', memo: 'planted in the build server' },
    { id: 'd-user-1', kind: 'user', enabled: true, userPrincipalName: DECOY_USER_UPN },
  ]);
  const report = await services.ingest(
    [{ records: [signInRecord({ time: '2026-11-28T11:50:00.000Z', userPrincipalName: DECOY_USER_UPN, ipAddress: '203.0.113.77', tenantId: TENANT })] }],
    'entra partition 0',
  );
  const alert = report.alerts[0];
  assert.ok(alert !== undefined && alert.incidentId !== undefined, 'the fixture sign-in raises an alert in an incident');
  return { alertId: alert.id, incidentId: alert.incidentId };
}

/** An unsecured JWT (`alg: none`) claiming everything a valid token would. */
export function unsecuredToken(now: Date, issuer: string): string {
  const seconds = Math.floor(now.getTime() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: issuer, aud: API_CLIENT_ID, tid: API_TENANT_ID, oid: ADMIN_CALLER.oid, roles: ['Lure.Admin'], iat: seconds - 60, exp: seconds + 3600 })}.`;
}

/** What Easy Auth would put in `x-ms-client-principal` for an admin: a header anyone can forge when Easy Auth is off. */
export function forgedClientPrincipal(): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'roles',
      claims: [
        { typ: 'roles', val: 'Lure.Admin' },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: ADMIN_CALLER.oid },
      ],
    }),
  ).toString('base64');
}

/**
 * The token `SignJWT` would make, with the overrides written in as given and signed with RS256 by hand:
 * `SignJWT` refuses some of what a forger writes (a non-text `kid`), and Entra's own key would sign anything.
 */
async function signedAsWritten(token: SignJWT, options: MintOptions, key: webcrypto.CryptoKey): Promise<string> {
  const usual = await token.sign(key);
  const header = { ...decodeProtectedHeader(usual), ...options.header };
  const claims = Object.fromEntries(Object.entries({ ...decodeJwt(usual), ...options.claims }).filter(([, value]) => value !== undefined));
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = createSign('RSA-SHA256').update(input).sign(KeyObject.from(key)).toString('base64url');
  return `${input}.${signature}`;
}
