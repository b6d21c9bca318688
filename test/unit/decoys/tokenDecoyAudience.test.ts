import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { testServices } from '../../helpers/services.js';

describe('a honeytoken', () => {
  for (const [cloud, graph] of [
    ['public', 'https://graph.microsoft.com'],
    ['usgov', 'https://graph.microsoft.us'],
    ['usgovdod', 'https://dod-graph.microsoft.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn'],
  ] as const) {
    it(`is for the Graph of the configured cloud by default (${cloud}), and its lure calls that Graph`, async () => {
      const lure = await testServices({ settings: { LURE_CLOUD: cloud } });
      const created = await lure.lifecycles.create({ kind: 'token', id: 'd-token-cloud' });
      const token = (await lure.store.getDecoyLifecycle('d-token-cloud'))!.honeytoken!;
      assert.equal(decodeJwt(token).aud, graph);
      assert.ok(created.material!.text.includes(`curl -H 'Authorization: Bearer ${token}' ${graph}/v1.0/users`), created.material!.text);
      await lure.lifecycles.rotate('d-token-cloud');
      assert.equal(decodeJwt((await lure.store.getDecoyLifecycle('d-token-cloud'))!.honeytoken!).aud, graph, 'rotation keeps the audience');
    });
  }

  it('for another API keeps that audience, and its lure names no Graph call', async () => {
    const lure = await testServices({ settings: { LURE_CLOUD: 'usgov' } });
    const created = await lure.lifecycles.create({ kind: 'token', id: 'd-token-api', audience: 'api://contoso-payroll' });
    const token = (await lure.store.getDecoyLifecycle('d-token-api'))!.honeytoken!;
    assert.equal(decodeJwt(token).aud, 'api://contoso-payroll');
    assert.doesNotMatch(created.material!.text, /curl|graph\./);
  });
});
