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
    assert.deepEqual(parseGraphRequest('https://graph.microsoft.com/v1.0/users'), {
      collection: 'users',
      key: undefined,
      keyName: undefined,
      rest: [],
      restAsWritten: [],
    });
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

describe('parseGraphRequest reads paths as the URL parser does', () => {
  it('agrees with new URL(…).pathname on plain, encoded, dotted and odd paths', () => {
    const throughUrlParser = (uri: string) => {
      const segments = new URL(uri, 'https://graph.microsoft.com').pathname.split('/').filter((segment) => segment !== '');
      return segments.map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      });
    };
    const uris = [
      'https://graph.microsoft.com/v1.0/users/a@contoso.example/messages/AAMk=?$top=1#x',
      '/v1.0/users/decoy@contoso.example/./messages/AAMk',
      '/v1.0/users/other@contoso.example/../decoy@contoso.example/messages/AAMk',
      '/v1.0/users/other@contoso.example/%2e%2E/decoy@contoso.example/messages/AAMk',
      '/v1.0/users/other@contoso.example/.%2e/decoy@contoso.example/messages/AAMk',
      'https://graph.microsoft.com/v1.0/users\\decoy@contoso.example\\messages\\AAMk',
      '/v1.0/users/a b/messages/{id}',
      '/v1.0/users/\u00e9l\u00e8ve@contoso.example/messages',
      '/v1.0/users/x%zz{/messages',
      '/v1.0/users/x\t/messages',
      'https://graph.microsoft.com/beta/users/a%2Fb/messages/c',
      '/v1.0/users/.hidden/messages',
    ];
    for (const uri of uris) {
      const parsed = parseGraphRequest(uri);
      const segments = throughUrlParser(uri);
      if (/^(v1\.0|beta)$/i.test(segments[0] ?? '')) segments.shift();
      const [collection, ...keyAndRest] = segments;
      assert.equal(parsed?.collection, collection?.toLowerCase(), uri);
      assert.deepEqual([...(parsed?.key === undefined ? [] : [parsed.key]), ...(parsed?.restAsWritten ?? [])], keyAndRest, uri);
    }
  });
});
