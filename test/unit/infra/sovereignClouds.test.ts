/**
 * Every endpoint the app and its host reach, in every cloud LURE_CLOUD names, as the templates build it. No
 * Bicep compiler runs here, so the expressions that make endpoints are read from the files and evaluated
 * against each cloud's `environment()` values (Microsoft's published suffixes) and its resources' own
 * endpoint properties.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MANAGEMENT_API_HOSTS } from '../../../src/config/environmentSchema.js';
import { CLOUDS as LURE_CLOUDS } from '../../../src/keys/clouds.js';
import { withoutComments } from '../../helpers/bicep.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';

const INFRA = path.join(PROJECT_ROOT, 'infra');

/** `environment()` and service endpoint suffixes per cloud (az cloud show; Azure Government's comparison page). */
const CLOUDS = {
  public: { environmentName: 'AzureCloud', storage: 'core.windows.net', keyvaultDns: '.vault.azure.net', serviceBus: 'servicebus.windows.net' },
  usgov: {
    environmentName: 'AzureUSGovernment',
    storage: 'core.usgovcloudapi.net',
    keyvaultDns: '.vault.usgovcloudapi.net',
    serviceBus: 'servicebus.usgovcloudapi.net',
  },
  usgovdod: {
    environmentName: 'AzureUSGovernment',
    storage: 'core.usgovcloudapi.net',
    keyvaultDns: '.vault.usgovcloudapi.net',
    serviceBus: 'servicebus.usgovcloudapi.net',
  },
  china: { environmentName: 'AzureChinaCloud', storage: 'core.chinacloudapi.cn', keyvaultDns: '.vault.azure.cn', serviceBus: 'servicebus.chinacloudapi.cn' },
} as const;
type Cloud = keyof typeof CLOUDS;

/** Host names that exist only in the public cloud: written into a template, they break every other cloud. */
const PUBLIC_CLOUD_HOSTS =
  /\b(core\.windows\.net|servicebus\.windows\.net|vault\.azure\.net|azurewebsites\.net|login\.microsoftonline\.com|login\.microsoft\.com|login\.windows\.net|sts\.windows\.net|graph\.microsoft\.com|manage\.office\.com|applicationinsights\.azure\.com|dc\.services\.visualstudio\.com|monitor\.azure\.com|api\.loganalytics\.io|management\.azure\.com|database\.windows\.net|azure-api\.net|azurecr\.io)\b/i;

/** Host names of the sovereign clouds: written into a template, they break the public cloud and each other. */
const SOVEREIGN_CLOUD_HOSTS =
  /\b(usgovcloudapi\.net|microsoftonline\.us|microsoft\.us|azurewebsites\.us|chinacloudapi\.cn|chinacloudsites\.cn|azure\.cn|microsoftonline\.cn)\b/i;

function infraFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? infraFiles(full) : [full];
  });
}

function bicep(relative: string): string {
  return withoutComments(readFileSync(path.join(INFRA, relative), 'utf8'));
}

/** The `key: 'template'` lines of an object literal `<head> {…}` in a template. */
function objectEntries(source: string, head: RegExp): Map<string, string> {
  const start = head.exec(source);
  assert.ok(start !== null, `${head} is in the template`);
  const body = source.slice(start.index + start[0].length, source.indexOf('\n}', start.index));
  return new Map([...body.matchAll(/^\s*'?([\w-]+)'?\s*:\s*(.+?)\s*$/gm)].map((match) => [match[1]!, match[2]!]));
}

/** Evaluates a Bicep string template of the storage module for one cloud; any other interpolation fails. */
function storageUri(template: string, cloud: Cloud): string {
  assert.match(template, /^'.*'$/, `${template} is a string template`);
  return template.slice(1, -1).replace(/\$\{([^}]+)\}/g, (_whole, expression: string) => {
    if (expression === 'environment().suffixes.storage') return CLOUDS[cloud].storage;
    if (expression === 'storage.name') return 'stlure';
    throw new Error(`unexpected interpolation \${${expression}} in ${template}`);
  });
}

describe('endpoints in every cloud', () => {
  it('no template, policy or parameters file names a host of one cloud', () => {
    const files = infraFiles(INFRA).filter((file) => /\.(bicep|json|xml)$/.test(file));
    assert.ok(files.length >= 15, `read ${files.length} files`);
    for (const file of files) {
      const text = file.endsWith('.bicep') ? withoutComments(readFileSync(file, 'utf8')) : readFileSync(file, 'utf8');
      // The JSON schema URL of a parameters file is a document, not an endpoint the app reaches.
      const reached = text.replace(/"\$schema"\s*:\s*"[^"]*"/g, '');
      assert.doesNotMatch(reached, PUBLIC_CLOUD_HOSTS, path.relative(PROJECT_ROOT, file));
      assert.doesNotMatch(reached, SOVEREIGN_CLOUD_HOSTS, path.relative(PROJECT_ROOT, file));
    }
  });

  for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
    it(`${cloud}: host storage, Lure's tables and the deployment package use ${CLOUDS[cloud].storage}`, () => {
      const uris = objectEntries(bicep('modules/storage.bicep'), /output\s+serviceUris\s+object\s*=\s*\{/);
      assert.deepEqual([...uris.keys()].sort(), ['blob', 'queue', 'table']);
      for (const [service, template] of uris) {
        const uri = storageUri(template, cloud);
        assert.equal(uri, `https://stlure.${service}.${CLOUDS[cloud].storage}`);
        assert.doesNotMatch(uri, cloud === 'public' ? SOVEREIGN_CLOUD_HOSTS : PUBLIC_CLOUD_HOSTS);
      }
    });

    it(`${cloud}: Event Hubs, Key Vault and Application Insights endpoints come from the resources themselves`, () => {
      // Event Hubs: the namespace's serviceBusEndpoint (https://<ns>.<suffix>:443/), cut to its host.
      const eventHubs = bicep('modules/eventHubs.bicep');
      assert.match(
        eventHubs,
        /output fullyQualifiedNamespace string = split\(split\(replace\(namespace\.properties\.serviceBusEndpoint, 'https:\/\/', ''\), ':'\)\[0\], '\/'\)\[0\]/,
      );
      const serviceBusEndpoint = `https://evhns-lure.${CLOUDS[cloud].serviceBus}:443/`;
      const host = serviceBusEndpoint.replace('https://', '').split(':')[0]!.split('/')[0]!;
      assert.equal(host, `evhns-lure.${CLOUDS[cloud].serviceBus}`);
      // Key Vault references: the vault's own vaultUri (https://<vault><keyvaultDns>/).
      assert.match(bicep('modules/keyVault.bicep'), /teamsWebhookUrl: '\$\{vault\.properties\.vaultUri\}secrets\//);
      // Application Insights: the component's connection string, which names the cloud's ingestion endpoint.
      assert.match(bicep('modules/monitoring.bicep'), /output appInsightsConnectionString string = appInsights\.properties\.ConnectionString/);
    });

    it(`${cloud}: Lure's own hosts (login, Graph, Management Activity API) follow LURE_CLOUD`, () => {
      const hosts = [LURE_CLOUDS[cloud].authorityHost, LURE_CLOUDS[cloud].graphHost, MANAGEMENT_API_HOSTS[cloud]].filter((host) => host !== undefined);
      if (cloud === 'public') assert.equal(hosts.length, 3);
      else for (const host of hosts) assert.doesNotMatch(host, PUBLIC_CLOUD_HOSTS, `${cloud}: ${host}`);
    });

    it(`${cloud}: the template's default LURE_CLOUD follows the Azure environment (${CLOUDS[cloud].environmentName})`, () => {
      const main = bicep('main.bicep');
      assert.match(main, /^param cloud string = ''$/m, 'empty unless given (azd passes LURE_CLOUD, empty by default)');
      const expression = /^var lureCloud = (.+)$/m.exec(main)?.[1];
      assert.equal(
        expression,
        "!empty(cloud) ? cloud : (environment().name == 'AzureChinaCloud' ? 'china' : (environment().name == 'AzureUSGovernment' ? 'usgov' : 'public'))",
        'the default this test evaluates',
      );
      assert.match(main, /^\s*cloud: lureCloud$/m, 'the function app gets the resolved cloud');
      const name: string = CLOUDS[cloud].environmentName;
      const evaluated = name === 'AzureChinaCloud' ? 'china' : name === 'AzureUSGovernment' ? 'usgov' : 'public';
      // GCC High and DoD share an Azure environment: a DoD tenant says so (its Graph host differs).
      assert.equal(evaluated, cloud === 'usgovdod' ? 'usgov' : cloud);
      if (cloud === 'usgovdod') assert.match(readFileSync(path.join(INFRA, 'main.bicep'), 'utf8'), /DoD tenant must say usgovdod/);
    });
  }

  it('sets every AzureWebJobsStorage service URI from those outputs, and never an account name the Event Hubs extension would suffix publicly', () => {
    const functionApp = bicep('modules/functionApp.bicep');
    const host = objectEntries(functionApp, /var hostSettings = \{/);
    for (const service of ['blob', 'queue', 'table']) {
      assert.equal(host.get(`AzureWebJobsStorage__${service}ServiceUri`), `storageServiceUris.${service}`, `AzureWebJobsStorage__${service}ServiceUri`);
    }
    assert.doesNotMatch(functionApp, /AzureWebJobsStorage__(accountName|endpointSuffix)\s*:/);
    assert.equal(objectEntries(functionApp, /var lureSettings = \{/).get('LURE_TABLE_SERVICE_URI'), 'storageServiceUris.table');
    assert.match(functionApp, /value: '\$\{storageServiceUris\.blob\}\/\$\{deploymentContainerName\}'/, 'the deployment package container');
    assert.match(bicep('main.bicep'), /storageServiceUris: storage\.outputs\.serviceUris/);
    assert.match(bicep('main.bicep'), /eventHubsFullyQualifiedNamespace: eventHubs\.outputs\.fullyQualifiedNamespace/);
  });
});
