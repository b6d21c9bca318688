import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphActivityEvent } from '../../../src/domain/events.js';
import { fromGraphActivity } from '../../../src/normalize/fromGraphActivity.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own records, shaped after formats.md §2.3: camelCase properties, plus C_Iat / C_Idtyp / C_Sid (c_Sid),
// UserPrincipalObjectID, and a top-level string durationMs next to a numeric properties.durationMs.
const TENANT = 'a1b2c3d4-0000-4000-8000-00000000aa01';

const appCall = {
  time: '2025-02-18T10:25:14.9999999Z',
  resourceId: `/TENANTS/${TENANT.toUpperCase()}/PROVIDERS/MICROSOFT.AADIAM`,
  operationName: 'Microsoft Graph Activity',
  operationVersion: 'v1.0',
  category: 'MicrosoftGraphActivityLogs',
  resultSignature: '200',
  durationMs: '1234567',
  callerIpAddress: '203.0.113.50',
  correlationId: '9a9a9a9a-0000-4000-8000-000000000001',
  level: 'Informational',
  location: 'West Europe',
  tenantId: TENANT,
  properties: {
    __UDI_RequiredFields_TenantId: TENANT,
    timeGenerated: '2025-02-18T10:25:12.2779144Z',
    requestId: '9a9a9a9a-0000-4000-8000-000000000001',
    operationId: '9a9a9a9a-0000-4000-8000-000000000001',
    clientRequestId: '9b9b9b9b-0000-4000-8000-000000000001',
    apiVersion: 'v1.0',
    requestMethod: 'GET',
    requestUri: 'https://graph.microsoft.com/v1.0/users/decoy.finance@contoso.example/messages',
    responseStatusCode: 200,
    tenantId: TENANT,
    durationMs: 1234567,
    signInActivityId: 'GraphAppTokenCCCCCCCCC',
    roles: 'Mail.Read User.Read.All',
    scopes: null,
    appId: 'c0c0c0c0-0000-4000-8000-000000000001',
    UserPrincipalObjectID: 'c1c1c1c1-0000-4000-8000-000000000001',
    clientAuthMethod: '1',
    C_Idtyp: 'app',
    C_Iat: '1739874011',
    ipAddress: '203.0.113.50',
    userAgent: 'python-requests/2.32.5',
  },
};

describe('fromGraphActivity', () => {
  it('falls through an empty C_Iat to the c_Iat spelling', () => {
    const properties: Record<string, unknown> = { ...appCall.properties, C_Iat: '', c_Iat: '1739874011' };
    delete properties['tokenIssuedAt'];
    const event = expectEvent(fromGraphActivity({ ...appCall, properties }), 'graphActivity');
    assert.equal(event.token?.issuedAt, '2025-02-18T10:20:11.000Z');
  });

  it('maps an app-only call exactly: timeGenerated as time, UserPrincipalObjectID as service principal, C_Iat as issue time', () => {
    const event = expectEvent(fromGraphActivity(appCall), 'graphActivity');
    const expected: GraphActivityEvent = {
      kind: 'graphActivity',
      source: 'entra',
      recordType: 'MicrosoftGraphActivityLogs',
      recordId: '9a9a9a9a-0000-4000-8000-000000000001',
      time: '2025-02-18T10:25:12.277Z',
      tenantId: TENANT,
      method: 'GET',
      requestUri: 'https://graph.microsoft.com/v1.0/users/decoy.finance@contoso.example/messages',
      responseStatusCode: 200,
      identityType: 'app',
      actor: {
        appId: 'c0c0c0c0-0000-4000-8000-000000000001',
        servicePrincipalId: 'c1c1c1c1-0000-4000-8000-000000000001',
        ipAddress: '203.0.113.50',
        userAgent: 'python-requests/2.32.5',
      },
      token: {
        uniqueTokenId: 'GraphAppTokenCCCCCCCCC',
        issuedAt: '2025-02-18T10:20:11.000Z',
        tenantId: TENANT,
      },
    };
    assert.deepEqual(event, expected);
  });

  it('prefers an explicit servicePrincipalId over UserPrincipalObjectID', () => {
    const record = { ...appCall, properties: { ...appCall.properties, servicePrincipalId: 'c2c2c2c2-0000-4000-8000-000000000001' } };
    const event = expectEvent(fromGraphActivity(record), 'graphActivity');
    assert.equal(event.actor.servicePrincipalId, 'c2c2c2c2-0000-4000-8000-000000000001');
    assert.equal(event.actor.userId, undefined);
  });

  it('maps a delegated call: lower-case c_Sid, tokenIssuedAt preferred over C_Iat, method upper-cased', () => {
    const record = {
      time: '2025-10-02T09:01:00.0000000Z',
      category: 'MicrosoftGraphActivityLogs',
      resultSignature: '403',
      durationMs: 2693631,
      callerIpAddress: '198.51.100.77',
      Level: 'Informational',
      tenantId: 'ffffffff-0000-4000-8000-00000000ffff',
      properties: {
        timeGenerated: '2025-10-02T08:56:25.071773Z',
        requestId: 'd1d1d1d1-0000-4000-8000-000000000001',
        requestMethod: 'patch',
        requestUri: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messageRules',
        responseStatusCode: 403,
        tenantId: TENANT,
        signInActivityId: 'DelegatedTokenDDDDDDDD',
        appId: 'd2d2d2d2-0000-4000-8000-000000000001',
        userId: 'd3d3d3d3-0000-4000-8000-000000000001',
        UserPrincipalObjectID: 'd3d3d3d3-0000-4000-8000-000000000001',
        servicePrincipalId: null,
        C_Idtyp: 'user',
        C_Iat: '1759394000',
        c_Sid: '5e5e5e5e-0000-4000-8000-000000000001',
        tokenIssuedAt: '2025-10-02T08:45:25.0000000Z',
        ipAddress: '198.51.100.77',
      },
    };
    const event = expectEvent(fromGraphActivity(record), 'graphActivity');
    const expected: GraphActivityEvent = {
      kind: 'graphActivity',
      source: 'entra',
      recordType: 'MicrosoftGraphActivityLogs',
      recordId: 'd1d1d1d1-0000-4000-8000-000000000001',
      time: '2025-10-02T08:56:25.071Z',
      // properties.tenantId wins over the envelope's.
      tenantId: TENANT,
      method: 'PATCH',
      requestUri: 'https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messageRules',
      responseStatusCode: 403,
      identityType: 'user',
      actor: {
        userId: 'd3d3d3d3-0000-4000-8000-000000000001',
        appId: 'd2d2d2d2-0000-4000-8000-000000000001',
        ipAddress: '198.51.100.77',
      },
      token: {
        uniqueTokenId: 'DelegatedTokenDDDDDDDD',
        sessionId: '5e5e5e5e-0000-4000-8000-000000000001',
        issuedAt: '2025-10-02T08:45:25.000Z',
        tenantId: TENANT,
      },
    };
    assert.deepEqual(event, expected);
  });

  it('reads the C_Sid spelling too', () => {
    const record = { ...appCall, properties: { ...appCall.properties, C_Idtyp: 'user', C_Sid: 'upper-sid' } };
    assert.equal(expectEvent(fromGraphActivity(record), 'graphActivity').token?.sessionId, 'upper-sid');
  });

  it('takes the user id from UserPrincipalObjectID on a delegated call without userId', () => {
    assert.equal('userId' in appCall.properties, false);
    const event = expectEvent(fromGraphActivity({ ...appCall, properties: { ...appCall.properties, C_Idtyp: 'user' } }), 'graphActivity');
    assert.equal(event.identityType, 'user');
    assert.equal(event.actor.userId, 'c1c1c1c1-0000-4000-8000-000000000001');
    assert.equal(event.actor.servicePrincipalId, undefined);
  });

  it('falls back to resultSignature for the status code and to callerIpAddress for the IP', () => {
    const properties: Record<string, unknown> = { ...appCall.properties, ipAddress: '<null>' };
    delete properties['responseStatusCode'];
    const event = expectEvent(fromGraphActivity({ ...appCall, resultSignature: '403', callerIpAddress: '192.0.2.99', properties }), 'graphActivity');
    assert.equal(event.responseStatusCode, 403);
    assert.equal(event.actor.ipAddress, '192.0.2.99');
  });

  it('ignores an unknown C_Idtyp value', () => {
    const event = expectEvent(fromGraphActivity({ ...appCall, properties: { ...appCall.properties, C_Idtyp: 'device' } }), 'graphActivity');
    assert.equal(event.identityType, undefined);
    assert.equal(event.actor.servicePrincipalId, undefined);
  });

  it('has no token context when the record carries no token identifiers', () => {
    const { signInActivityId: _signInActivityId, C_Iat: _iat, tenantId: _tenantId, ...properties } = appCall.properties;
    const event = expectEvent(fromGraphActivity({ ...appCall, properties }), 'graphActivity');
    assert.equal(event.token, undefined);
    // The envelope tenant still names the event's tenant.
    assert.equal(event.tenantId, TENANT);
  });

  it('falls back to the envelope time when timeGenerated is missing', () => {
    const properties: Record<string, unknown> = { ...appCall.properties };
    delete properties['timeGenerated'];
    assert.equal(expectEvent(fromGraphActivity({ ...appCall, properties }), 'graphActivity').time, '2025-02-18T10:25:14.999Z');
  });

  it('rejects a record without requestMethod or requestUri, properties or time', () => {
    expectSkip(fromGraphActivity({ ...appCall, properties: { ...appCall.properties, requestUri: '' } }), 'invalid-record');
    expectSkip(fromGraphActivity({ ...appCall, properties: { ...appCall.properties, requestMethod: null } }), 'invalid-record');
    expectSkip(fromGraphActivity({ time: appCall.time, category: 'MicrosoftGraphActivityLogs' }), 'invalid-record');
    expectSkip(
      fromGraphActivity({ category: 'MicrosoftGraphActivityLogs', properties: { requestMethod: 'GET', requestUri: 'https://graph.microsoft.com/' } }),
      'invalid-record',
    );
  });
});
