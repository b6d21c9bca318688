/**
 * What `azd up` and the Entra and tenant steps rely on, read from the files (no azd or Bicep compiler runs
 * here): azure.yaml and the parameters file azd fills, the streams the deployment tells Lure to expect, the
 * Event Hubs authentication Entra's diagnostic setting can use, and the API registration people sign in to.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { USER_SCOPE } from '../../../src/app/admin/callerAuthenticator.js';
import { SETTINGS } from '../../../src/config/settings.js';
import { ENTRA_CATEGORIES, streamNamed } from '../../../src/domain/streams.js';
import { stageDeploy } from '../../../scripts/stageDeploy.js';
import { withoutComments } from '../../helpers/bicep.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';

const INFRA = path.join(PROJECT_ROOT, 'infra');
const bicep = (relative: string) => withoutComments(readFileSync(path.join(INFRA, relative), 'utf8'));
const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

interface AzureYaml {
  name?: unknown;
  infra?: { provider?: unknown; path?: unknown; module?: unknown };
  services?: Record<
    string,
    {
      project?: unknown;
      language?: unknown;
      host?: unknown;
      dist?: unknown;
      remoteBuild?: unknown;
      hooks?: Record<string, { posix?: { run?: unknown }; windows?: { run?: unknown } }>;
    }
  >;
}

describe('azd', () => {
  const azure = parse(readFileSync(path.join(PROJECT_ROOT, 'azure.yaml'), 'utf8')) as AzureYaml;

  it('azure.yaml deploys one function service, built and staged before packaging, from infra/main.bicep', () => {
    assert.deepEqual(azure.infra, { provider: 'bicep', path: 'infra', module: 'main' });
    assert.ok(existsSync(path.join(PROJECT_ROOT, 'infra', 'main.bicep')));
    const services = Object.entries(azure.services ?? {});
    assert.equal(services.length, 1);
    const [name, service] = services[0]!;
    assert.equal(name, 'api');
    assert.deepEqual([service.project, service.language, service.host, service.dist], ['.', 'js', 'function', '.deploy']);
    const run = String(service.hooks?.['prepackage']?.posix?.run);
    assert.match(run, /^npm ci --ignore-scripts && npm run build && node --import tsx scripts\/stageDeploy\.ts --no-install$/);
    // azd leaves node_modules out of a Node package: only a remote build installs the dependencies.
    assert.equal(service.remoteBuild, true);
    const windows = String(service.hooks?.['prepackage']?.windows?.run);
    assert.equal(windows, run, 'the same steps, stopping at the first failure, on Windows');
    // azd finds the Function App by this tag.
    assert.match(bicep('modules/functionApp.bicep'), new RegExp(`'azd-service-name': '${name}'`));
    assert.match(bicep('main.bicep'), /'azd-env-name': environmentName/);
  });

  it('the parameters file is azd placeholders only: the environment name and region, and Lure settings by their own names', () => {
    const parameters = (json(path.join(INFRA, 'main.parameters.json')) as { parameters: Record<string, { value: unknown }> }).parameters;
    assert.equal(parameters['environmentName']?.value, '${AZURE_ENV_NAME}');
    assert.equal(parameters['location']?.value, '${AZURE_LOCATION}');
    const settings = new Set(SETTINGS.map((setting) => setting.name));
    for (const [name, { value }] of Object.entries(parameters)) {
      const placeholder = /^\$\{([A-Z][A-Z0-9_]*)(=[^}]*)?\}$/.exec(String(value));
      assert.ok(placeholder !== null, `${name}: ${String(value)} is an azd placeholder`);
      const variable = placeholder[1]!;
      // A LURE_ variable that is not deploy-only must be the app setting it becomes, so one name means one thing.
      if (variable.startsWith('LURE_') && !variable.startsWith('LURE_DEPLOY_')) assert.ok(settings.has(variable), `${variable} is a Lure setting`);
    }
  });

  it('main.bicep gives azd its outputs, and refuses a region without Flex Consumption before deploying anything', () => {
    const main = bicep('main.bicep');
    for (const output of ['AZURE_LOCATION', 'AZURE_TENANT_ID', 'SERVICE_API_NAME']) assert.match(main, new RegExp(`^output ${output} string = `, 'm'));
    const allowed = /@allowed\(\[([^\]]*)\]\)\s*param location string/.exec(main);
    assert.ok(allowed !== null, 'location has an @allowed list');
    const regions = [...allowed[1]!.matchAll(/'([a-z0-9]+)'/g)].map((match) => match[1]!);
    assert.ok(regions.length >= 20 && regions.includes('westeurope') && regions.includes('eastus'), regions.join(', '));
    assert.deepEqual(
      regions.filter((region) => /^(usgov|usdod|china)/.test(region)),
      [],
      'no Microsoft list names a US Government or China region',
    );
    assert.match(main, /@metadata\(\{ azd: \{ type: 'location' \} \}\)/);
  });

  it('stages the package with the runtime dependencies only, and says what is missing', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lure-stage-'));
    const out = path.join(root, '.deploy');
    assert.throws(() => stageDeploy({ root, out, install: false }), /dist is missing in .*: run npm ci and npm run build first/);
    mkdirSync(path.join(root, 'dist', 'functions'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'functions', 'adminApi.js'), 'export {};\n');
    writeFileSync(path.join(root, 'host.json'), '{"version":"2.0"}\n');
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    const manifest = json(path.join(PROJECT_ROOT, 'package.json')) as Record<string, unknown>;
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest));
    stageDeploy({ root, out, install: false });
    const staged = json(path.join(out, 'package.json')) as Record<string, unknown>;
    assert.deepEqual(staged['dependencies'], manifest['dependencies']);
    assert.equal(staged['main'], manifest['main']);
    assert.equal(staged['type'], 'module');
    assert.equal(staged['scripts'], undefined, 'no prepare build where TypeScript is absent');
    assert.equal(staged['devDependencies'], undefined);
    assert.ok(
      existsSync(path.join(out, 'dist', 'functions', 'adminApi.js')) &&
        existsSync(path.join(out, 'host.json')) &&
        existsSync(path.join(out, 'package-lock.json')),
    );
    rmSync(root, { recursive: true, force: true });
  });
});

describe('the streams the deployment expects', () => {
  const categories = json(path.join(INFRA, 'entraCategories.json')) as { streamed: string[]; preview: string[]; notExpected: string[] };

  it('are the Entra categories the tenant deployment streams (one file for both), each a stream Lure knows', () => {
    for (const name of [...categories.streamed, ...categories.preview]) {
      assert.ok((ENTRA_CATEGORIES as readonly string[]).includes(name) && streamNamed(name) !== undefined, name);
    }
    assert.ok(categories.notExpected.every((name) => categories.streamed.includes(name)));
    const tenant = bicep('tenant/diagnosticSettings.bicep');
    assert.match(tenant, /loadJsonContent\('\.\.\/entraCategories\.json'\)/);
    assert.match(tenant, /param previewCategoriesEnabled bool = false/, 'the preview category is opt-in: a tenant without it fails the deployment');
    assert.match(
      tenant,
      /filter\(concat\(entraCategories\.streamed, previewCategoriesEnabled \? entraCategories\.preview : \[\]\), category => !contains\(excludedCategories, category\)\)/,
      'a tenant lacking a category leaves it out rather than failing the deployment',
    );
    assert.doesNotMatch(tenant, /'MicrosoftServicePrincipalSignInLogs'/, 'named only in the JSON, behind the opt-in');
  });

  it('reach the app as LURE_EXPECTED_SOURCES, built from what main.bicep configured', () => {
    const main = bicep('main.bicep');
    assert.match(main, /loadJsonContent\('entraCategories\.json'\)/);
    assert.match(main, /param entraPreviewCategoriesEnabled bool = false/);
    for (const wired of [
      /auditContentTypes == 'none' \|\| lureCloud == 'china' \? \[\] : \['exchange'\]/,
      /defenderStreamingEnabled \? \['defender'\] : \[\]/,
      /empty\(apimServiceName\) \? \[\] : \['token'\]/,
    ]) {
      assert.match(main, wired);
    }
    assert.match(main, /!contains\(entraCategories\.notExpected, category\) && !contains\(excludedEntraCategoryList, category\)/);
    assert.match(main, /expectedSources: expectedSources/);
    assert.match(bicep('modules/functionApp.bicep'), /LURE_EXPECTED_SOURCES: expectedSources/);
  });
});

describe('Entra logs reach the hub', () => {
  it('with the authentication the diagnostic setting documents: a namespace SAS rule with Manage, Send and Listen, local auth on by default', () => {
    const eventHubs = bicep('modules/eventHubs.bicep');
    assert.match(eventHubs, /param localAuthEnabled bool = true/);
    assert.match(eventHubs, /disableLocalAuth: !localAuthEnabled/);
    const rule = /resource diagnosticsRule '([^']+)' = \{([\s\S]*?)\n\}/.exec(eventHubs);
    assert.ok(rule !== null);
    // Azure Monitor refuses a rule of one hub (namespaces/eventhubs/authorizationRules).
    assert.equal(rule[1], 'Microsoft.EventHub/namespaces/authorizationRules@2024-01-01');
    assert.deepEqual([...rule[2]!.matchAll(/'(Listen|Send|Manage)'/g)].map((match) => match[1]).sort(), ['Listen', 'Manage', 'Send']);
    assert.match(bicep('main.bicep'), /param eventHubsLocalAuthEnabled bool = true/);
    assert.match(readFileSync(path.join(INFRA, 'tenant', 'diagnosticSettings.bicep'), 'utf8'), /diagnostic-settings destinations table/);
  });
});

describe('the API registration people sign in to', () => {
  const entra = bicep('entra/main.bicep');
  const application = bicep('entra/apiApplication.bicep');

  it('exposes the delegated scope the admin API checks, with a fixed id', () => {
    assert.match(entra, new RegExp(`value: '${USER_SCOPE}'`));
    assert.match(entra, /id: '33b72f1d-10a1-4253-a5cb-161710862545'/);
    assert.match(application, /oauth2PermissionScopes: \[\s*userScope\s*\]/);
    assert.match(application, /requestedAccessTokenVersion: 2/);
  });

  it('pre-authorises the Azure CLI and Azure PowerShell for it, in a second pass once the scope exists', () => {
    const defaults = /param preAuthorizedClientIds array = \[([^\]]*)\]/.exec(entra)?.[1] ?? '';
    assert.match(defaults, /'04b07795-8ddb-461a-bbee-02f9e1bf7b46'/, 'Azure CLI');
    assert.match(defaults, /'1950a258-227b-4e31-a9cf-717495945fc2'/, 'Azure PowerShell');
    const passes = [...entra.matchAll(/^module (\w+) 'apiApplication\.bicep' = \{([\s\S]*?)\n\}/gm)];
    assert.equal(passes.length, 2, 'declared, then pre-authorised');
    const [first, second] = passes.map((match) => match[2]!);
    assert.doesNotMatch(first!, /preAuthorizedClientIds/);
    assert.match(second!, /preAuthorizedClientIds: concat\(preAuthorizedClientIds, \[apiAppWithScope\.outputs\.appId\]\)/);
    assert.match(second!, /'api:\/\/\$\{apiAppWithScope\.outputs\.appId\}'/, 'the identifier URI LURE_API_APP_ID_URI defaults to');
    assert.match(application, /delegatedPermissionIds: \[\s*userScope\.id\s*\]/);
  });

  it("keeps roles as the gate (assignment required), and takes the console's SPA redirect URIs", () => {
    assert.match(entra, /appRoleAssignmentRequired: true/);
    assert.match(entra, /param consoleRedirectUris array = \[\]/);
    assert.match(application, /spa: \{\s*redirectUris: spaRedirectUris\s*\}/);
  });
});
