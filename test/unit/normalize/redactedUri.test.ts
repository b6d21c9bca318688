import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeRecord } from '../../../src/normalize/normalizeRecord.js';
import { redactedUri } from '../../../src/normalize/redactedUri.js';
import { expectEvent } from '../../helpers/outcomes.js';

const JWT = `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from('{"uti":"u","oid":"o"}').toString('base64url')}.c2ln`;

describe('redactedUri', () => {
  it('replaces the values of credential-bearing query parameters, keeping the rest', () => {
    assert.equal(
      redactedUri(`https://api.contoso.example/hub/negotiate?access_token=${JWT}&id=7&Code=abc&sig=xyz&$select=displayName`),
      'https://api.contoso.example/hub/negotiate?access_token=[redacted]&id=7&Code=[redacted]&sig=[redacted]&$select=displayName',
    );
  });

  it('judges each parameter by its whole name, in any case, percent-encoded or not', () => {
    const base = 'https://graph.microsoft.com/v1.0/me/messages';
    for (const [query, expected] of [
      ['$top=10&$select=subject', '$top=10&$select=subject'],
      ['monkey=1&tokens=2&xsig=3&api-keys=4', 'monkey=1&tokens=2&xsig=3&api-keys=4'],
      ['$top=10&Key=abc', '$top=10&Key=[redacted]'],
      ['$top=10&token=', '$top=10&token=[redacted]'],
      ['API-KEY=abc', 'API-KEY=[redacted]'],
      ['%61ccess_token=abc&$top=1', '%61ccess_token=[redacted]&$top=1'],
      ['$filter=a%20eq%201&password=hunter2', '$filter=a%20eq%201&password=[redacted]'],
      ['$filter=a%20eq%201', '$filter=a%20eq%201'],
      ['token', 'token'],
      // The Kelvin sign lower-cases to `k`: a name written with it is still the credential's.
      ['$top=1&\u212Aey=abc', '$top=1&\u212Aey=[redacted]'],
      ['access_to\u212Aen=abc', 'access_to\u212Aen=[redacted]'],
    ] as const) {
      assert.equal(redactedUri(`${base}?${query}`), `${base}?${expected}`, query);
    }
  });

  it('replaces a token wherever it stands, and leaves plain URIs alone', () => {
    assert.equal(redactedUri(`https://api.contoso.example/x/${JWT}/y`), 'https://api.contoso.example/x/[redacted-token]/y');
    assert.equal(
      redactedUri('https://graph.microsoft.com/v1.0/users?$filter=startswith(displayName,%27a%27)'),
      'https://graph.microsoft.com/v1.0/users?$filter=startswith(displayName,%27a%27)',
    );
  });

  it('keeps tokens in gateway URLs out of token observations and Graph events', () => {
    const observation = expectEvent(
      normalizeRecord({
        time: '2026-11-02T10:00:00Z',
        category: 'TokenObservation',
        properties: { jwt: JWT, requestUri: `https://api.contoso.example/hub?access_token=${JWT}` },
      }),
      'tokenObservation',
    );
    assert.equal(observation.requestUri, 'https://api.contoso.example/hub?access_token=[redacted]');
    assert.ok(!JSON.stringify(observation).includes(JWT.split('.')[1]!));
    const graph = expectEvent(
      normalizeRecord({
        time: '2026-11-02T10:00:00Z',
        category: 'MicrosoftGraphActivityLogs',
        properties: { requestId: 'r', requestMethod: 'GET', requestUri: `https://graph.microsoft.com/v1.0/me?token=${JWT}` },
      }),
      'graphActivity',
    );
    assert.equal(graph.requestUri, 'https://graph.microsoft.com/v1.0/me?token=[redacted]');
  });
});
