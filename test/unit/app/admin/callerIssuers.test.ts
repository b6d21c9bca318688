import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { ApiError } from '../../../../src/app/admin/apiError.js';
import { CallerAuthenticator } from '../../../../src/app/admin/callerAuthenticator.js';
import { CLOUDS } from '../../../../src/keys/clouds.js';
import { fixedClock, recordingLogger } from '../../../helpers/services.js';

const TENANT = '3c6d1f0a-2b4e-4c8d-9e7f-5a1b2c3d4e5f';
const API = '8f2e6c4a-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
const NOW = new Date('2026-12-07T01:00:00.000Z');

describe("the admin API in Azure China takes the cloud's issuers", () => {
  let sign: (issuer: string) => Promise<string>;
  let keys: JSONWebKeySet;

  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    keys = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'china-key', use: 'sig' }] };
    const seconds = Math.floor(NOW.getTime() / 1000);
    sign = (issuer) =>
      new SignJWT({ tid: TENANT, oid: '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21', azp: API, roles: ['Lure.Reader'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'china-key' })
        .setIssuer(issuer)
        .setAudience(API)
        .setIssuedAt(seconds - 60)
        .setExpirationTime(seconds + 3600)
        .sign(pair.privateKey);
  });

  const authenticator = () =>
    new CallerAuthenticator({
      tenantId: TENANT,
      authorityHost: CLOUDS.china.authorityHost,
      audiences: [API],
      delegatedClientIds: [API],
      tenantKeys: false,
      devKeys: keys,
      clock: fixedClock(NOW.toISOString()),
      logger: recordingLogger(),
    });

  for (const host of ['https://login.chinacloudapi.cn', 'https://login.partner.microsoftonline.cn']) {
    it(`accepts a v2 token issued under ${host}`, async () => {
      const caller = await authenticator().authenticate(`Bearer ${await sign(`${host}/${TENANT}/v2.0`)}`, 'read');
      assert.equal(caller.objectId, '5e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a21');
    });
  }

  it("refuses the public cloud's issuer", async () => {
    await assert.rejects(
      authenticator().authenticate(`Bearer ${await sign(`https://login.microsoftonline.com/${TENANT}/v2.0`)}`, 'read'),
      (error: unknown) => error instanceof ApiError && error.status === 401,
    );
  });
});
