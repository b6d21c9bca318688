import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graphRequestOf, isWriteMethod, parseGraphRequest } from '../../../src/detections/graphRequest.js';
import type { GraphActivityEvent } from '../../../src/domain/events.js';

describe('parseGraphRequest', () => {
  it('reads the collection, key and the rest of a versioned path, ignoring the query', () => {
    assert.deepEqual(parseGraphRequest('https://graph.microsoft.com/v1.0/Users/svc-backup%40contoso.example/Messages/AAMk%2Fx%2By%3D?$select=subject'), {
      collection: 'users',
      key: 'svc-backup@contoso.example',
      keyName: 'id',
      rest: ['messages', 'aamk/x+y='],
      restAsWritten: ['Messages', 'AAMk/x+y='],
    });
  });

  it("reads keys in parentheses: users('x'), applications(appId='x')", () => {
    assert.deepEqual(parseGraphRequest("https://graph.microsoft.us/beta/applications(appId='3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c')/addPassword"), {
      collection: 'applications',
      key: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c',
      keyName: 'appid',
      rest: ['addpassword'],
      restAsWritten: ['addPassword'],
    });
    assert.equal(parseGraphRequest("/v1.0/users('svc@contoso.example')/authentication/methods")?.key, 'svc@contoso.example');
  });

  it('reads /me paths without a key, and collections without one', () => {
    assert.deepEqual(parseGraphRequest('https://graph.microsoft.com/v1.0/me/messages'), { collection: 'me', rest: ['messages'], restAsWritten: ['messages'] });
    assert.deepEqual(parseGraphRequest('https://graph.microsoft.com/v1.0/users'), { collection: 'users', key: undefined, keyName: undefined, rest: [], restAsWritten: [] });
  });

  it('gives nothing for an empty path and keeps a malformed escape as written', () => {
    assert.equal(parseGraphRequest('https://graph.microsoft.com/v1.0/'), undefined);
    assert.equal(parseGraphRequest('https://graph.microsoft.com/v1.0/users/bad%E0%A4%A/messages')?.key, 'bad%E0%A4%A');
  });

  it('parses each event once, whichever detection asks', () => {
    const event = { kind: 'graphActivity', requestUri: 'https://graph.microsoft.com/v1.0/users/x/owners' } as GraphActivityEvent;
    assert.equal(graphRequestOf(event), graphRequestOf(event));
  });

  it('knows which methods write', () => {
    assert.deepEqual(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'].map(isWriteMethod), [false, true, true, true, true, false]);
  });
});
