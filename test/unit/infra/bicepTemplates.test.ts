/**
 * Static checks of the Bicep under infra/, for a machine with no Bicep compiler.
 *
 * What these checks cannot prove: that the templates compile (syntax, types, BCP diagnostics); that ARM or
 * the Graph extension accepts the properties and API versions used; that the role scopes are enough for
 * what Lure does at run time; and anything about deployment-time behaviour (ordering, role propagation,
 * Key Vault reference resolution, diagnostic settings delivering to a namespace without SAS). Those need
 * `az bicep build` and a deployment to a test tenant.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../helpers/paths.js';
import { withoutComments } from '../../helpers/bicep.js';

const INFRA = path.join(PROJECT_ROOT, 'infra');
const ROLE_DEFINITIONS_FILE = path.join(INFRA, 'modules', 'roleDefinitions.bicep');

/** Built-in Azure roles and their GUIDs as documented in shared/reference/infra.md §9 (azure-docs built-in-roles.md). */
const DOCUMENTED_ROLES: Readonly<Record<string, string>> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  'a638d3c7-ab3a-418d-83e6-5f17a39d4fde': 'Azure Event Hubs Data Receiver',
  '2b629674-e913-4c01-ae53-ef4638d8f975': 'Azure Event Hubs Data Sender',
  'f526a384-b230-433a-b45c-95f59c4a2dec': 'Azure Event Hubs Data Owner',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
};

/** GUIDs the templates may hold that are not Azure role definitions. */
const NON_ROLE_GUIDS: Readonly<Record<string, string>> = {
  '00000003-0000-0000-c000-000000000000': 'Microsoft Graph appId (its service principal, looked up to grant permissions)',
  'c5393580-f805-4401-95e8-94b7a6ef2fc2': 'Office 365 Management APIs appId (ActivityFeed.Read for the poller)',
  'ab73f58b-926a-4286-8884-38c84575fdf0': 'Lure.Admin app role id: fixed, as assignments point at it',
  'edc6c79e-f77a-43db-a1f5-4012580207ed': 'Lure.Reader app role id: fixed, as assignments point at it',
  '33b72f1d-10a1-4253-a5cb-161710862545': 'access_as_user scope id: fixed, as pre-authorisations and grants point at it',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Azure CLI client id, pre-authorised for the API scope',
  '1950a258-227b-4e31-a9cf-717495945fc2': 'Azure PowerShell client id, pre-authorised for the API scope',
};

/** Resource types deliberately deployed with a preview API version, with the reason. None today. */
const PREVIEW_API_EXCEPTIONS: Readonly<Record<string, string>> = {};

/** App settings Flex Consumption forbids or ignores (infra.md §1.4, §8); WEBSITE_CONTENT* is matched as a prefix. */
const FLEX_FORBIDDEN_SETTINGS = new Set([
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_MOUNT_ENABLED',
  'WEBSITE_TIME_ZONE',
  'TZ',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'ENABLE_ORYX_BUILD',
  'WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT',
]);

/** Application permissions Lure's identity may be granted (infra.md §4.1), each with its use. */
const ALLOWED_APP_PERMISSIONS: Readonly<Record<string, string>> = {
  'User.ReadWrite.All': 'create and delete decoy users',
  'User.Read.All': 'read decoy users when Lure may not create them',
  'User-PasswordProfile.ReadWrite.All': 'reset decoy passwords (with User Administrator over the decoy unit)',
  'Application.ReadWrite.OwnedBy': 'create decoy apps and rotate their secrets, only apps Lure owns',
  'Sites.Selected': 'upload, rewrite and delete decoy files, only in the sites granted to Lure one by one',
  'ActivityFeed.Read': 'Office 365 Management Activity API, for the audit poller',
};

const GRAPH_EXTENSION_ALIAS = 'microsoftGraphV1';
const GRAPH_EXTENSION_REFERENCE = 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:1.0.0';

interface Template {
  readonly file: string;
  readonly name: string;
  readonly source: string;
}

interface Param {
  readonly name: string;
  readonly type: string;
  readonly defaultValue: string | undefined;
  readonly decorators: readonly string[];
}

/** Net change of bracket depth over a line, ignoring brackets inside strings. */
function depthChange(line: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === "'") inString = false;
    } else if (char === "'") inString = true;
    else if (char === '(' || char === '[' || char === '{') depth += 1;
    else if (char === ')' || char === ']' || char === '}') depth -= 1;
  }
  return depth;
}

/** Contents of every string literal in a source without comments, escapes undone. */
function stringLiterals(source: string): string[] {
  return [...source.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((match) => match[1]!.replace(/\\(.)/g, '$1'));
}

function bicepFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return bicepFiles(full);
    return entry.name.endsWith('.bicep') ? [full] : [];
  });
}

function templates(): Template[] {
  return bicepFiles(INFRA).map((file) => ({ file, name: path.relative(PROJECT_ROOT, file), source: withoutComments(readFileSync(file, 'utf8')) }));
}

/** The params of a template with the decorators written above each (multi-line decorators joined). */
function params(source: string): Param[] {
  const found: Param[] = [];
  let decorators: string[] = [];
  let pending: { text: string; depth: number } | undefined;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (pending !== undefined) {
      pending = { text: `${pending.text}\n${line}`, depth: pending.depth + depthChange(line) };
      if (pending.depth <= 0) {
        decorators.push(pending.text);
        pending = undefined;
      }
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('@')) {
      const depth = depthChange(line);
      if (depth > 0) pending = { text: line, depth };
      else decorators.push(line);
      continue;
    }
    const param = /^param\s+(\w+)\s+([^\s=]+)(?:\s*=\s*(.*))?$/.exec(line);
    if (param !== null) found.push({ name: param[1]!, type: param[2]!, defaultValue: param[3]?.trim(), decorators });
    decorators = [];
  }
  return found;
}

function roleDefinitionIds(): Map<string, string> {
  const source = withoutComments(readFileSync(ROLE_DEFINITIONS_FILE, 'utf8'));
  const body = /var\s+roleDefinitionIds\s*=\s*\{([^}]*)\}/.exec(source);
  assert.ok(body !== null, 'roleDefinitions.bicep declares var roleDefinitionIds = { … }');
  assert.match(source, /@export\(\)\s*(?:@[^\n]*\n\s*)*var\s+roleDefinitionIds\b/, 'roleDefinitionIds is exported');
  return new Map([...body[1]!.matchAll(/^\s*(\w+)\s*:\s*'([^']*)'/gm)].map((match) => [match[1]!, match[2]!.toLowerCase()]));
}

/** 'Azure Event Hubs Data Receiver' → 'azureEventHubsDataReceiver'. */
function camelCase(roleName: string): string {
  const [first = '', ...rest] = roleName.split(/\s+/);
  return first.toLowerCase() + rest.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

describe('Bicep templates under infra/', () => {
  const all = templates();

  it('are found (the walk reads what it should)', () => {
    const names = all.map((template) => template.name).sort();
    for (const expected of ['infra/main.bicep', 'infra/entra/main.bicep', 'infra/tenant/diagnosticSettings.bicep', 'infra/modules/apimTokenLogger.bicep']) {
      assert.ok(names.includes(expected), `${expected} is among ${names.join(', ')}`);
    }
  });

  it('reference modules and imports that exist', () => {
    for (const { file, name, source } of all) {
      const references = [
        ...[...source.matchAll(/^\s*module\s+\w+\s+'([^']+)'/gm)].map((match) => match[1]!),
        ...[...source.matchAll(/^\s*import\s+[^\n]*?\s+from\s+'([^']+)'/gm)].map((match) => match[1]!),
      ];
      for (const reference of references.filter((reference) => !/^(br|ts)[:/]/.test(reference))) {
        assert.ok(existsSync(path.resolve(path.dirname(file), reference)), `${name}: ${reference} exists`);
      }
    }
  });

  it('describe every param as Required. or Optional., and only Optional ones have defaults', () => {
    let count = 0;
    for (const { name, source } of all) {
      for (const param of params(source)) {
        count += 1;
        const description = param.decorators
          .map((decorator) => /^@(?:sys\.)?description\('(Required|Optional)\. /.exec(decorator)?.[1])
          .find((status) => status !== undefined);
        assert.ok(description !== undefined, `${name}: param ${param.name} has @description('Required. …') or @description('Optional. …')`);
        const optional = param.defaultValue !== undefined || param.type.endsWith('?');
        assert.equal(description === 'Optional', optional, `${name}: param ${param.name} is ${description} but ${optional ? 'has' : 'has no'} default`);
      }
    }
    assert.ok(count >= 30, `found ${count} params`);
  });

  it('give @secure() params no default but the empty string', () => {
    let count = 0;
    for (const { name, source } of all) {
      for (const param of params(source).filter((candidate) => candidate.decorators.some((decorator) => /^@(?:sys\.)?secure\(\)/.test(decorator)))) {
        count += 1;
        assert.ok(param.defaultValue === undefined || param.defaultValue === "''", `${name}: @secure() param ${param.name} defaults to ${param.defaultValue}`);
      }
    }
    assert.ok(count >= 3, `found ${count} secure params`);
  });

  it('name every role they assign, once, with a GUID documented in infra.md §9', () => {
    const roles = roleDefinitionIds();
    assert.ok(roles.size >= 6, `found ${roles.size} roles`);
    assert.equal(new Set(roles.values()).size, roles.size, 'each GUID is named once');
    for (const [key, guid] of roles) {
      const documented = DOCUMENTED_ROLES[guid];
      assert.ok(documented !== undefined, `${key}: ${guid} is a documented role GUID`);
      assert.equal(key, camelCase(documented), `${guid} is named after its role (${documented})`);
    }
  });

  it('assign roles only through the named GUIDs, and use every one of them', () => {
    const roles = roleDefinitionIds();
    const used = new Set<string>();
    for (const { file, name, source } of all) {
      for (const match of source.matchAll(/\broleDefinitionIds\.(\w+)/g)) {
        assert.ok(roles.has(match[1]!), `${name}: roleDefinitionIds.${match[1]} is defined`);
        used.add(match[1]!);
      }
      if (file !== ROLE_DEFINITIONS_FILE && /\broleDefinitionIds\./.test(source)) {
        assert.match(source, /^\s*import\s*\{\s*roleDefinitionIds\s*\}\s*from\s*'roleDefinitions\.bicep'/m, `${name} imports roleDefinitionIds`);
      }
      const declaredParams = new Set(params(source).map((param) => param.name));
      for (const match of source.matchAll(/\broleDefinitionId\s*:\s*([^\n]+)/g)) {
        const value = match[1]!.trim();
        const inner = /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions',\s*([\w.]+)\)$/.exec(value)?.[1] ?? value;
        assert.ok(
          /^roleDefinitionIds\.\w+$/.test(inner) || declaredParams.has(inner),
          `${name}: roleDefinitionId ${value} names a role from roleDefinitions.bicep or a param`,
        );
      }
      for (const match of source.matchAll(/'(Microsoft\.Authorization\/roleAssignments)@([^']+)'/g)) {
        assert.equal(match[2], '2022-04-01', `${name}: ${match[1]} uses 2022-04-01`);
      }
      if (file === ROLE_DEFINITIONS_FILE) continue;
      for (const match of source.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)) {
        const guid = match[0].toLowerCase();
        assert.ok(guid in NON_ROLE_GUIDS, `${name}: literal GUID ${guid} belongs in roleDefinitions.bicep or NON_ROLE_GUIDS`);
      }
    }
    assert.deepEqual(
      [...roles.keys()].filter((key) => !used.has(key)),
      [],
      'every named role is assigned somewhere',
    );
  });

  it('deploy no resource with a preview API version, beyond the listed exceptions', () => {
    let count = 0;
    for (const { name, source } of all) {
      for (const match of source.matchAll(/^\s*resource\s+\w+\s+'([^'@]+)@([^']+)'/gm)) {
        count += 1;
        const [type, version] = [match[1]!, match[2]!];
        assert.match(version, /^(\d{4}-\d{2}-\d{2}(-preview)?|v1\.0)$/, `${name}: ${type}@${version} is a dated or v1.0 version`);
        if (version.endsWith('-preview')) assert.ok(type in PREVIEW_API_EXCEPTIONS, `${name}: ${type}@${version} is a preview version`);
      }
    }
    assert.ok(count >= 20, `found ${count} resources`);
  });

  it('declare the Microsoft Graph extension wherever Graph resources appear, with its alias configured beside them', () => {
    const graphTemplates = all.filter(({ source }) => /'Microsoft\.Graph\//.test(source) || /^\s*extension\s+/m.test(source));
    assert.ok(graphTemplates.length >= 1, 'some template uses the Graph extension');
    for (const { file, name, source } of graphTemplates) {
      assert.match(source, new RegExp(`^extension\\s+${GRAPH_EXTENSION_ALIAS}\\s*$`, 'm'), `${name} declares extension ${GRAPH_EXTENSION_ALIAS}`);
      const config = path.join(path.dirname(file), 'bicepconfig.json');
      assert.ok(existsSync(config), `${name} has a bicepconfig.json beside it`);
      const parsed: unknown = JSON.parse(readFileSync(config, 'utf8'));
      const extensions = typeof parsed === 'object' && parsed !== null && 'extensions' in parsed ? parsed.extensions : undefined;
      const reference =
        typeof extensions === 'object' && extensions !== null && GRAPH_EXTENSION_ALIAS in extensions
          ? (extensions as Record<string, unknown>)[GRAPH_EXTENSION_ALIAS]
          : undefined;
      assert.equal(reference, GRAPH_EXTENSION_REFERENCE, `${path.relative(PROJECT_ROOT, config)} maps ${GRAPH_EXTENSION_ALIAS}`);
    }
  });

  it('set no app setting Flex Consumption forbids', () => {
    for (const { name, source } of all) {
      for (const match of source.matchAll(/(?:^|[{,])\s*'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:/gm)) {
        const key = match[1]!;
        assert.ok(!FLEX_FORBIDDEN_SETTINGS.has(key) && !key.startsWith('WEBSITE_CONTENT'), `${name} sets ${key}`);
      }
      assert.doesNotMatch(
        source,
        /'(FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION|WEBSITE_NODE_DEFAULT_VERSION|WEBSITE_RUN_FROM_PACKAGE|WEBSITE_CONTENT\w*)'/,
        `${name} names a forbidden setting in a string`,
      );
    }
  });

  it('pass main.parameters.json only params main.bicep declares, and every Required one', () => {
    const declared = params(withoutComments(readFileSync(path.join(INFRA, 'main.bicep'), 'utf8')));
    const parsed: unknown = JSON.parse(readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8'));
    assert.ok(typeof parsed === 'object' && parsed !== null && 'parameters' in parsed && typeof parsed.parameters === 'object' && parsed.parameters !== null);
    const given = Object.keys(parsed.parameters);
    const names = new Set(declared.map((param) => param.name));
    assert.deepEqual(
      given.filter((name) => !names.has(name)),
      [],
      'parameters main.bicep does not declare',
    );
    const required = declared.filter((param) => param.defaultValue === undefined && !param.type.endsWith('?')).map((param) => param.name);
    assert.deepEqual(
      required.filter((name) => !given.includes(name)),
      [],
      'Required parameters missing from main.parameters.json',
    );
    // azd fills the file from its environment: a secure value may be named there, never written.
    const secure = declared.filter((param) => param.decorators.some((decorator) => decorator.startsWith('@secure()'))).map((param) => param.name);
    const values = parsed.parameters as Record<string, { value?: unknown }>;
    assert.deepEqual(
      given.filter((name) => secure.includes(name) && !/^\$\{[A-Z][A-Z0-9_]*=\}$/.test(String(values[name]?.value))),
      [],
      'secure values are azd placeholders with an empty default, never values',
    );
  });

  it('grant no tenant-wide mail permission, and only the application permissions Lure needs', () => {
    let permissions = 0;
    for (const { name, source } of all) {
      for (const literal of stringLiterals(source)) {
        assert.doesNotMatch(
          literal,
          /^(Mail|MailboxSettings|MailboxFolder|MailboxItem)[.-]|^full_access_as_app$|^EWS\./i,
          `${name} names the mail permission ${literal}`,
        );
      }
      if (!/'Microsoft\.Graph\/appRoleAssignedTo@/.test(source)) continue;
      for (const literal of stringLiterals(source).filter((candidate) => /^[A-Z][A-Za-z-]*(\.[A-Za-z]+)+$/.test(candidate) && !candidate.startsWith('Lure.'))) {
        permissions += 1;
        assert.ok(literal in ALLOWED_APP_PERMISSIONS, `${name} grants ${literal}, which is not in ALLOWED_APP_PERMISSIONS`);
      }
    }
    assert.ok(permissions >= 4, `found ${permissions} permission names`);
  });
});
