import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SETTINGS } from '../../../src/config/settings.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';
import { withoutComments } from '../../helpers/bicep.js';

/**
 * The deployment sets exactly the app settings Lure and its host read, and nothing else. Settings Lure reads
 * that the deployment leaves alone are listed here, each with the reason, so adding a setting to
 * src/config/settings.ts without deciding how Azure gets it fails this test.
 */
const NOT_DEPLOYED: Readonly<Record<string, string>> = {
  LURE_TABLE_CONNECTION_STRING: 'development and Azurite; the deployment reaches tables with the identity (LURE_TABLE_SERVICE_URI)',
  LURE_TABLE_PREFIX: 'one Lure per storage account; the default prefix fits',
  LURE_DEDUPE_BUCKET_IN_MINUTES: 'tunable; the default fits Azure',
  LURE_DECOY_CACHE_REFRESH_IN_SECONDS: 'tunable; the default fits Azure',
  LURE_DEAD_LETTER_RETENTION_IN_DAYS: 'tunable; the default fits Azure',
  LURE_SILENCE_THRESHOLD_IN_MINUTES: 'tunable; the default fits Azure',
  LURE_SILENCE_THRESHOLDS: 'tunable; the built-in thresholds fit Azure',
  LURE_FIRST_DELIVERY_GRACE_IN_HOURS: 'tunable; the default covers the Management Activity API and Entra first-delivery delays',
  LURE_MAIL_BASELINE_LEARNING_IN_DAYS: 'tunable; the default fits Azure',
  LURE_MAIL_BASELINE_MAX_PAIRS: 'tunable; the default fits Azure',
  LURE_ISSUANCE_GRACE_IN_MINUTES: 'tunable; the default fits Azure',
  LURE_MAX_TOKEN_LIFETIME_IN_HOURS: "tunable; the default is Entra's longest token lifetime",
  LURE_TOKEN_INDEX_RETENTION_IN_HOURS: 'tunable; the default fits Azure',
  LURE_ISSUANCE_GATING_CATEGORIES: 'tunable; the default matches the categories the tenant deployment streams',
  LURE_ISSUANCE_MODE_GRAPH: 'rollout switch, changed by an operator after watching shadow counts',
  LURE_ISSUANCE_MODE_EXCHANGE: 'rollout switch, changed by an operator after watching shadow counts',
  LURE_ISSUANCE_MODE_SHAREPOINT: 'rollout switch, changed by an operator after watching shadow counts',
  LURE_ISSUANCE_MIN_GRACE_IN_MINUTES: 'tuning of the adaptive grace; the defaults are documented',
  LURE_ISSUANCE_GRACE_FACTOR: 'tuning of the adaptive grace; the defaults are documented',
  LURE_ISSUANCE_GRACE_QUANTILE: 'tuning of the adaptive grace; the defaults are documented',
  LURE_ISSUANCE_GRACE_HISTORY_RECORDS: 'tuning of the adaptive grace; the defaults are documented',
  LURE_ISSUANCE_MODE_TOKEN: 'rollout switch, changed by an operator after watching shadow counts',
  LURE_ISSUANCE_ALLOWLIST_APP_IDS: 'tenant-specific exceptions, empty by default',
  LURE_ISSUANCE_JUDGE_APP_IDS: 'tenant-specific exceptions, empty by default',
  LURE_ISSUANCE_CACHE_SIZE: 'tunable; the default fits the instance memory',
  LURE_GRAPH_HOST: 'test override; the cloud (LURE_CLOUD) picks the Graph host',
  LURE_GRAPH_TIMEOUT_IN_SECONDS: 'tunable; the default fits Azure',
  LURE_DECOY_JOB_TITLES: 'tunable; the built-in titles fit',
  LURE_DECOY_KEPT_SECRETS: 'tunable; the default fits Azure',
  LURE_DECOY_KEPT_MESSAGES: 'tunable; the default fits Azure',
  LURE_DECOY_SECRET_LIFETIME_IN_DAYS: 'tunable; the default fits Azure',
  LURE_DECOY_ROTATION_JITTER_PERCENT: 'tunable; the default fits Azure',
  LURE_DECOY_MAIL_FOLDER: 'tunable; the default folder name fits',
  LURE_JOURNAL_RETENTION_IN_DAYS: 'tunable; the default fits Azure',
  LURE_AUTHORITY_HOST: 'test override; the cloud (LURE_CLOUD) picks the login host',
  LURE_KEY_APP_IDS: 'tenant-specific, empty by default',
  LURE_KEY_RETIREMENT_GRACE_IN_HOURS: 'tunable; the default fits Azure',
  LURE_KEY_RETIRED_ALERT_AFTER_IN_HOURS: 'tunable; the default fits Azure',
  LURE_KEY_REFRESH_MIN_INTERVAL_IN_MINUTES: 'tunable; the default fits Azure',
  LURE_TEAMS_MIN_SEVERITY: 'tunable; the default fits Azure',
  LURE_EMAIL_MIN_SEVERITY: 'tunable; the default fits Azure',
  LURE_WEBHOOK_MIN_SEVERITY: 'tunable; the default fits Azure',
  LURE_SENTINEL_STREAM: 'the rule the deployment makes declares the default stream',
  LURE_SENTINEL_MIN_SEVERITY: 'tunable; the default writes every alert',
  LURE_NOTIFY_UPDATE_WINDOW_IN_MINUTES: 'tunable; the default fits Azure',
  LURE_DIGEST_THRESHOLD_PER_MINUTE: 'tunable; the default fits Azure',
  LURE_DELIVERY_MAX_ATTEMPTS: 'tunable; the default fits Azure',
  LURE_DELIVERY_TIMEOUT_IN_SECONDS: 'tunable; the default fits Azure',
  LURE_DELIVERY_RATES: "tunable; the defaults stay under Teams' throttling",
  LURE_IGNORE_IPS: 'tenant-specific exceptions, empty by default',
  LURE_IGNORE_USER_AGENTS: 'tenant-specific exceptions, empty by default',
  LURE_IGNORE_APP_IDS: 'tenant-specific exceptions, empty by default',
  LURE_OUTBOX_RETENTION_IN_DAYS: 'tunable; the default fits Azure',
  WEBSITE_SITE_NAME: 'set by Azure Functions itself',
  LURE_API_DELEGATED_CLIENT_IDS: 'the defaults (Azure CLI, Azure PowerShell) are the clients infra/entra/main.bicep pre-authorises',
  LURE_API_APP_ID_URI: 'the default api://<LURE_API_CLIENT_ID> is the URI infra/entra/main.bicep sets',
  LURE_AUDIT_RETENTION_IN_DAYS: 'tunable; the default fits Azure',
  LURE_API_PORT: 'local host only',
  LURE_DATA_DIR: 'local host only',
  LURE_INBOX_DIR: 'local host only',
  LURE_INBOX_SETTLE_IN_MILLISECONDS: 'local host only',
  LURE_LOG_FORMAT: 'json by default in Azure (WEBSITE_SITE_NAME is set there)',
  LURE_DEMO: 'local host only',
  LURE_LOCAL_TABLE_PORT: 'local host only',
  LURE_LOCAL_CONSUMER_GROUP: 'local host only (the deployment creates the group for it)',
  LURE_EVENTHUB_CONNECTION_STRING: 'outside Azure only; the deployment reaches Event Hubs with the identity',
  LURE_MANAGEMENT_API_HOST: 'the cloud (LURE_CLOUD) picks the host; only GCC tenants override it',
  LURE_AUDIT_PUBLISHER_ID: 'defaults to the tenant id, which the deployment sets',
  LURE_AUDIT_LOOKBACK_IN_HOURS: 'tunable; the default fits Azure',
  LURE_ALERT_RETENTION_IN_DAYS: 'tunable; the default (400 days) fits Azure',
};

const INFRA = path.join(PROJECT_ROOT, 'infra');

/** main.bicep and every local module it deploys, transitively: absolute path → source without comments. */
function deployedTemplates(): Map<string, string> {
  const templates = new Map<string, string>();
  const pending = [path.join(INFRA, 'main.bicep')];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (templates.has(file)) continue;
    assert.ok(existsSync(file), `${path.relative(PROJECT_ROOT, file)} exists`);
    const source = withoutComments(readFileSync(file, 'utf8'));
    templates.set(file, source);
    for (const match of source.matchAll(/^\s*module\s+\w+\s+'([^']+)'/gm)) {
      const reference = match[1]!;
      if (!/^(br|ts)[:/]/.test(reference)) pending.push(path.resolve(path.dirname(file), reference));
    }
  }
  return templates;
}

/**
 * App setting names are the object keys written in upper snake case (LURE_STORE, AZURE_CLIENT_ID) or with a
 * double underscore (AzureWebJobsStorage__clientId), at the start of a line or after `{` or `,` (one-line
 * objects); Bicep and ARM property names are camelCase or PascalCase.
 */
const SETTING_KEY = /(?:^|[{,])\s*'?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:__[A-Za-z]+)?|[A-Za-z][A-Za-z0-9]*__[A-Za-z]+)'?\s*:/gm;

function deployedSettings(): Set<string> {
  const names = new Set<string>();
  for (const source of deployedTemplates().values()) {
    for (const match of source.matchAll(SETTING_KEY)) names.add(match[1]!);
  }
  return names;
}

describe('app settings the deployment sets', () => {
  let found: Set<string> | undefined;
  const deployedOnce = (): Set<string> => (found ??= deployedSettings());

  it('are found in the templates at all (the parser reads what it should)', () => {
    const deployed = deployedOnce();
    assert.ok(deployed.size >= 20, `found ${deployed.size}: ${[...deployed].join(', ')}`);
    assert.ok(deployed.has('LURE_STORE') && deployed.has('AzureWebJobsStorage__blobServiceUri'));
  });

  it('are written as object keys only, never as a siteConfig.appSettings name/value list the parser would miss', () => {
    for (const [file, source] of deployedTemplates()) {
      assert.doesNotMatch(source, /\bappSettings\s*:/, path.relative(PROJECT_ROOT, file));
    }
  });

  it('are each read by Lure or the Functions host (src/config/settings.ts)', () => {
    const deployed = deployedOnce();
    const known = new Set(SETTINGS.map((setting) => setting.name));
    const unknown = [...deployed].filter((name) => !known.has(name));
    assert.deepEqual(unknown, [], 'set by infra but read by nobody');
  });

  it('cover every setting the Functions host reads', () => {
    const deployed = deployedOnce();
    const missing = SETTINGS.filter((setting) => setting.readBy === 'host' && !deployed.has(setting.name)).map((setting) => setting.name);
    assert.deepEqual(missing, []);
  });

  it('cover every setting Lure reads, except those listed as not deployed with a reason', () => {
    const deployed = deployedOnce();
    const undecided = SETTINGS.filter((setting) => setting.readBy === 'lure' && !deployed.has(setting.name) && !(setting.name in NOT_DEPLOYED)).map(
      (setting) => setting.name,
    );
    assert.deepEqual(undecided, [], 'deploy these in infra/modules/functionApp.bicep or list them in NOT_DEPLOYED with a reason');
  });

  it('and the not-deployed list agree: nothing both set and listed, nothing listed that Lure does not read', () => {
    const deployed = deployedOnce();
    const both = Object.keys(NOT_DEPLOYED).filter((name) => deployed.has(name));
    assert.deepEqual(both, [], 'set by infra and listed as not deployed');
    const readByLure = new Set(SETTINGS.filter((setting) => setting.readBy === 'lure').map((setting) => setting.name));
    const stale = Object.keys(NOT_DEPLOYED).filter((name) => !readByLure.has(name));
    assert.deepEqual(stale, [], 'listed as not deployed but not a setting Lure reads');
    for (const [name, reason] of Object.entries(NOT_DEPLOYED)) assert.ok(reason.trim().length > 0, `${name} has a reason`);
  });
});
