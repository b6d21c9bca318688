import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SignInEvent } from '../../../src/domain/events.js';
import { fromEntraSignIn } from '../../../src/normalize/fromEntraSignIn.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own records, shaped after formats.md §1.1 and §2.1 (EH form, camelCase `properties` = Graph signIn).
const TENANT = 'a1b2c3d4-0000-4000-8000-00000000aa01';
const GRAPH = '00000003-0000-0000-c000-000000000000';

const interactiveSuccess = {
  // Envelope time is ingestion time, minutes after the sign-in.
  time: '2025-02-17T08:52:11.1234567Z',
  resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
  operationName: 'Sign-in activity',
  operationVersion: '1.0',
  category: 'SignInLogs',
  tenantId: TENANT,
  resultType: '0',
  resultSignature: 'None',
  durationMs: 0,
  callerIpAddress: '198.51.100.23',
  correlationId: 'c0a1b2c3-1111-4111-8111-000000000001',
  identity: 'Decoy Finance',
  Level: 4,
  properties: {
    id: 'e5f6a7b8-2222-4222-8222-000000000001',
    createdDateTime: '2025-02-17T08:35:37.6544801+00:00',
    userDisplayName: 'Decoy Finance',
    userPrincipalName: 'decoy.finance@contoso.example',
    userId: 'b0b0b0b0-3333-4333-8333-000000000001',
    appId: '4765445b-32c6-49b0-83e6-1d93765276ca',
    appDisplayName: 'OfficeHome',
    ipAddress: '198.51.100.23',
    status: { errorCode: 0, additionalDetails: 'MFA completed in Azure AD' },
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) LureTest/1.0',
    servicePrincipalId: '',
    clientCredentialType: 'none',
    isInteractive: true,
    resourceId: GRAPH,
    resourceDisplayName: 'Microsoft Graph',
    resourceTenantId: TENANT,
    uniqueTokenIdentifier: 'Lx9Rk2mPq0aVb7cDe4fGhA',
    sessionId: '5e551011-4444-4444-8444-000000000001',
    tokenIssuerType: 'AzureAD',
    incomingTokenType: 'none',
    authenticationProcessingDetails: [
      { key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'False' },
      { key: 'Is CAE Token', value: 'False' },
    ],
  },
};

describe('fromEntraSignIn', () => {
  it('maps an interactive sign-in exactly, with createdDateTime (not the later envelope time) as event time', () => {
    const event = expectEvent(fromEntraSignIn(interactiveSuccess, 'SignInLogs'), 'signIn');
    const expected: SignInEvent = {
      kind: 'signIn',
      source: 'entra',
      recordType: 'SignInLogs',
      recordId: 'e5f6a7b8-2222-4222-8222-000000000001',
      time: '2025-02-17T08:35:37.654Z',
      tenantId: TENANT,
      category: 'SignInLogs',
      succeeded: true,
      errorCode: 0,
      appDisplayName: 'OfficeHome',
      clientCredentialType: 'none',
      resourceId: GRAPH,
      resourceDisplayName: 'Microsoft Graph',
      actor: {
        userPrincipalName: 'decoy.finance@contoso.example',
        userId: 'b0b0b0b0-3333-4333-8333-000000000001',
        appId: '4765445b-32c6-49b0-83e6-1d93765276ca',
        ipAddress: '198.51.100.23',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) LureTest/1.0',
      },
      token: {
        uniqueTokenId: 'Lx9Rk2mPq0aVb7cDe4fGhA',
        sessionId: '5e551011-4444-4444-8444-000000000001',
        issuedAt: '2025-02-17T08:35:37.654Z',
      },
    };
    assert.deepEqual(event, expected);
  });

  it('maps a failed non-interactive sign-in: string resultType, lower-case string level, "<null>" IP, string durationMs', () => {
    const record = {
      time: '2025-07-24T15:40:02.0000000Z',
      category: 'NonInteractiveUserSignInLogs',
      tenantId: TENANT,
      resultType: '50126',
      resultSignature: 'FAILURE',
      durationMs: '0',
      callerIpAddress: '2001:db8:85a3::8a2e:370:7334',
      level: '4',
      properties: {
        id: 'f00dfeed-5555-4555-8555-000000000001',
        createdDateTime: '2025-07-24T15:30:17.7970000Z',
        userPrincipalName: 'decoy.finance@contoso.example',
        userId: 'b0b0b0b0-3333-4333-8333-000000000001',
        appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
        appDisplayName: 'Microsoft Office',
        ipAddress: '<null>',
        status: { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.' },
        isInteractive: false,
        uniqueTokenIdentifier: '',
        sessionId: null,
      },
    };
    const event = expectEvent(fromEntraSignIn(record, 'NonInteractiveUserSignInLogs'), 'signIn');
    assert.equal(event.recordType, 'NonInteractiveUserSignInLogs');
    assert.equal(event.category, 'NonInteractiveUserSignInLogs');
    assert.equal(event.recordId, 'f00dfeed-5555-4555-8555-000000000001');
    assert.equal(event.time, '2025-07-24T15:30:17.797Z');
    assert.equal(event.succeeded, false);
    assert.equal(event.errorCode, 50126);
    assert.equal(event.failureReason, 'Error validating credentials due to invalid username or password.');
    assert.deepEqual(event.actor, {
      userPrincipalName: 'decoy.finance@contoso.example',
      userId: 'b0b0b0b0-3333-4333-8333-000000000001',
      appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      // "<null>" in properties.ipAddress: the envelope's callerIpAddress is used.
      ipAddress: '2001:db8:85a3::8a2e:370:7334',
    });
    assert.equal(event.token?.uniqueTokenId, undefined);
    assert.equal(event.token?.sessionId, undefined);
    assert.equal(event.token?.issuedAt, undefined, 'a failed sign-in issued no token');
  });

  it('reads the error code from the string resultType when properties.status is missing', () => {
    const record = {
      time: '2025-07-24T15:40:02Z',
      category: 'SignInLogs',
      resultType: '50158',
      Level: '4',
      properties: { id: 'rt-only-1', createdDateTime: '2025-07-24T15:30:00Z', userPrincipalName: 'a@contoso.example' },
    };
    const event = expectEvent(fromEntraSignIn(record, 'SignInLogs'), 'signIn');
    assert.equal(event.errorCode, 50158);
    assert.equal(event.succeeded, false);
    assert.equal(event.failureReason, undefined);
  });

  it('treats resultType "0" as success when status is missing', () => {
    const record = {
      time: '2025-07-24T15:40:02Z',
      category: 'SignInLogs',
      resultType: '0',
      properties: { id: 'rt-0', createdDateTime: '2025-07-24T15:30:00Z' },
    };
    const event = expectEvent(fromEntraSignIn(record, 'SignInLogs'), 'signIn');
    assert.equal(event.errorCode, 0);
    assert.equal(event.succeeded, true);
  });

  it('maps a service-principal sign-in with the credential key id, and empty user fields as absent', () => {
    const record = {
      time: '2025-10-14T07:34:57.9144897Z',
      category: 'ServicePrincipalSignInLogs',
      tenantId: TENANT,
      resultType: '0',
      resultSignature: 'SUCCESS',
      durationMs: 0,
      callerIpAddress: '192.0.2.44',
      Level: 4,
      properties: {
        id: 'aaaa0000-6666-4666-8666-000000000001',
        createdDateTime: '2025-10-14T07:33:50.1498978+00:00',
        userId: null,
        userPrincipalName: '',
        appId: 'decafbad-7777-4777-8777-000000000001',
        appDisplayName: 'lure-decoy-backup',
        ipAddress: '192.0.2.44',
        status: { errorCode: 0 },
        servicePrincipalName: 'lure-decoy-backup',
        servicePrincipalId: 'decafbad-8888-4888-8888-000000000001',
        servicePrincipalCredentialKeyId: '0ddba11a-9999-4999-8999-000000000001',
        clientCredentialType: 'clientSecret',
        resourceId: GRAPH,
        resourceDisplayName: 'Microsoft Graph',
        signInEventTypes: ['servicePrincipal'],
        uniqueTokenIdentifier: 'SPtokenAAAAAAAAAAAAAAA',
      },
    };
    const event = expectEvent(fromEntraSignIn(record, 'ServicePrincipalSignInLogs'), 'signIn');
    const expected: SignInEvent = {
      kind: 'signIn',
      source: 'entra',
      recordType: 'ServicePrincipalSignInLogs',
      recordId: 'aaaa0000-6666-4666-8666-000000000001',
      time: '2025-10-14T07:33:50.149Z',
      tenantId: TENANT,
      category: 'ServicePrincipalSignInLogs',
      succeeded: true,
      errorCode: 0,
      appDisplayName: 'lure-decoy-backup',
      servicePrincipalName: 'lure-decoy-backup',
      credentialKeyId: '0ddba11a-9999-4999-8999-000000000001',
      clientCredentialType: 'clientSecret',
      resourceId: GRAPH,
      resourceDisplayName: 'Microsoft Graph',
      actor: {
        appId: 'decafbad-7777-4777-8777-000000000001',
        servicePrincipalId: 'decafbad-8888-4888-8888-000000000001',
        ipAddress: '192.0.2.44',
      },
      token: { uniqueTokenId: 'SPtokenAAAAAAAAAAAAAAA', issuedAt: '2025-10-14T07:33:50.149Z' },
    };
    assert.deepEqual(event, expected);
  });

  it('maps a managed-identity sign-in whose ipAddress is "" and which has no callerIpAddress', () => {
    const record = {
      time: '2026-01-20T08:33:45.3797573Z',
      category: 'ManagedIdentitySignInLogs',
      tenantId: TENANT,
      resultType: '0',
      level: '4',
      properties: {
        id: 'm1m1m1m1-0000-4000-8000-000000000001',
        createdDateTime: '2026-01-20T08:31:21.3310422+00:00',
        userId: '',
        userPrincipalName: '',
        appId: 'a0a0a0a0-0000-4000-8000-000000000001',
        ipAddress: '',
        status: { errorCode: 0 },
        servicePrincipalId: 'a1a1a1a1-0000-4000-8000-000000000001',
        servicePrincipalName: 'mi-lure-test',
        resourceTenantId: TENANT,
        uniqueTokenIdentifier: 'MItokenBBBBBBBBBBBBBBB',
      },
    };
    const event = expectEvent(fromEntraSignIn(record, 'ManagedIdentitySignInLogs'), 'signIn');
    assert.equal(event.time, '2026-01-20T08:31:21.331Z');
    assert.deepEqual(event.actor, { appId: 'a0a0a0a0-0000-4000-8000-000000000001', servicePrincipalId: 'a1a1a1a1-0000-4000-8000-000000000001' });
    assert.equal(event.servicePrincipalName, 'mi-lure-test');
    assert.equal(event.succeeded, true);
  });

  it('keeps the MicrosoftServicePrincipalSignInLogs category distinct', () => {
    const record = {
      time: '2026-07-16T15:34:08.5339262Z',
      category: 'MicrosoftServicePrincipalSignInLogs',
      resultType: '7000113',
      properties: {
        id: 'msp-1',
        createdDateTime: '2026-07-16T15:31:34.1881867+00:00',
        status: { errorCode: 7000113, failureReason: 'not authorized' },
        appId: 'f0f0f0f0-0000-4000-8000-000000000001',
        servicePrincipalId: 'f1f1f1f1-0000-4000-8000-000000000001',
      },
    };
    const event = expectEvent(fromEntraSignIn(record, 'MicrosoftServicePrincipalSignInLogs'), 'signIn');
    assert.equal(event.category, 'MicrosoftServicePrincipalSignInLogs');
    assert.equal(event.recordType, 'MicrosoftServicePrincipalSignInLogs');
    assert.equal(event.errorCode, 7000113);
    assert.equal(event.succeeded, false);
    assert.equal(event.failureReason, 'not authorized');
  });

  it('takes the tenant from properties when the envelope has none', () => {
    const record = {
      time: '2025-01-01T00:00:00Z',
      category: 'SignInLogs',
      properties: { id: 't-1', createdDateTime: '2025-01-01T00:00:00Z', resourceTenantId: TENANT },
    };
    assert.equal(expectEvent(fromEntraSignIn(record, 'SignInLogs'), 'signIn').tenantId, TENANT);
  });

  it('falls back to the envelope time only when createdDateTime is unreadable', () => {
    const record = { time: '2025-02-17T08:52:11.1234567Z', category: 'SignInLogs', properties: { id: 'no-created', createdDateTime: 'yesterday' } };
    assert.equal(expectEvent(fromEntraSignIn(record, 'SignInLogs'), 'signIn').time, '2025-02-17T08:52:11.123Z');
  });

  it('gives a stable fingerprint id to a record without properties.id', () => {
    const record = {
      time: '2025-01-01T00:00:00Z',
      category: 'SignInLogs',
      properties: { createdDateTime: '2025-01-01T00:00:00Z', userPrincipalName: 'x@contoso.example' },
    };
    const first = expectEvent(fromEntraSignIn(record, 'SignInLogs'), 'signIn');
    const again = expectEvent(fromEntraSignIn(structuredClone(record), 'SignInLogs'), 'signIn');
    assert.match(first.recordId, /^sha256:[0-9a-f]{32}$/);
    assert.equal(again.recordId, first.recordId);
  });

  it('rejects a record without properties or without any readable time', () => {
    expectSkip(fromEntraSignIn({ time: '2025-01-01T00:00:00Z', category: 'SignInLogs' }, 'SignInLogs'), 'invalid-record');
    expectSkip(fromEntraSignIn({ category: 'SignInLogs', properties: { id: 'x' } }, 'SignInLogs'), 'invalid-record');
    expectSkip(fromEntraSignIn({ time: 'garbage', category: 'SignInLogs', properties: { id: 'x', createdDateTime: '' } }, 'SignInLogs'), 'invalid-record');
  });
});
