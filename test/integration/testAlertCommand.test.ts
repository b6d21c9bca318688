import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useAzurite } from '../helpers/azurite.js';
import { cleanEnvironment, runLure } from '../helpers/cli.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';

const azurite = useAzurite();

describe('lure test-alert and lure status', () => {
  let teams: Receiver;
  let webhook: Receiver;
  before(async () => {
    teams = await startReceiver({ status: 202 });
    webhook = await startReceiver({ status: 200 });
  });
  after(async () => {
    await teams.close();
    await webhook.close();
  });

  const environment = (prefix: string) =>
    cleanEnvironment({
      LURE_TABLE_CONNECTION_STRING: azurite.connectionString(),
      LURE_TABLE_PREFIX: prefix,
      LURE_TEAMS_WEBHOOK_URL: teams.url,
      LURE_WEBHOOK_URL: webhook.url,
      LURE_WEBHOOK_SECRET: 'w'.repeat(40),
    });

  it('proves the wiring end to end with a marked test, and the status shows it', async () => {
    const prefix = azurite.uniquePrefix();
    const toTeams = await runLure(['test-alert', '--channel', 'teams'], environment(prefix));
    assert.equal(toTeams.code, 0, toTeams.stderr);
    assert.match(toTeams.stderr, /test notification to teams: accepted/);
    assert.match(teams.received[0]!.body, /TEST · LOW · Lure test notification/);
    const toWebhook = await runLure(['test-alert', '--channel', 'webhook'], environment(prefix));
    assert.equal(toWebhook.code, 0, toWebhook.stderr);
    assert.equal(webhook.received[0]!.headers['lure-event'], 'test');
    assert.match(String(webhook.received[0]!.headers['lure-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);

    const status = await runLure(['status'], environment(prefix));
    const channels = new Map(
      (JSON.parse(status.stdout) as { channels: { channel: string; configured: boolean; accepted: number; delivered: number }[] }).channels.map((channel) => [
        channel.channel,
        channel,
      ]),
    );
    assert.equal(channels.get('teams')?.accepted, 1);
    assert.equal(channels.get('webhook')?.delivered, 1);
    assert.equal(channels.get('email')?.configured, false);
  });

  it('fails visibly when the channel fails, and refuses an unconfigured one', async () => {
    const prefix = azurite.uniquePrefix();
    webhook.script({ status: 403 });
    const refused = await runLure(['test-alert', '--channel', 'webhook'], environment(prefix));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /test notification to webhook: dead \(HTTP 403\)/);
    const unconfigured = await runLure(['test-alert', '--channel', 'email'], environment(prefix));
    assert.equal(unconfigured.code, 2);
    assert.match(unconfigured.stderr, /channel email is not configured/);
  });
});
