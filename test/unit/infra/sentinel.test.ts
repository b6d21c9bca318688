/**
 * The Sentinel module held to the channel's rows without a Bicep compiler: one column list for rows, table,
 * stream and transform; an analytics rule whose query names only columns the table has and whose entity
 * mappings, custom details and overrides name only columns the query returns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RESERVED_COLUMN_NAMES, SENTINEL_COLUMNS } from '../../../src/alerting/sentinelRow.js';
import { SEVERITIES } from '../../../src/domain/alerts.js';
import { LOG_ANALYTICS_TABLES } from '../../../src/normalize/fromLogAnalytics.js';
import { withoutComments } from '../../helpers/bicep.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';

const INFRA = path.join(PROJECT_ROOT, 'infra');
const read = (...parts: string[]) => readFileSync(path.join(INFRA, ...parts), 'utf8');
const MODULE = withoutComments(read('modules', 'sentinel.bicep'));
const QUERY = read('sentinel', 'analyticsRule.kql');
const TABLE_COLUMNS = new Set<string>(SENTINEL_COLUMNS.map((column) => column.name));

/** KQL without its `//` comments and string literals, so names are what is left. */
function kqlNames(query: string): string[] {
  const code = query.replace(/\/\/[^\n]*/g, '').replace(/"[^"]*"/g, '""');
  return [...code.matchAll(/\b[A-Z][A-Za-z0-9_]*\b/g)].map((match) => match[0]);
}

/** The columns the rule's query returns: its last `project`. */
function projected(query: string): string[] {
  const code = query.replace(/\/\/[^\n]*/g, '');
  const last = code.lastIndexOf('| project ');
  return code
    .slice(last + '| project '.length)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** The `columnName`s and custom-detail values the analytics rule maps, and the `{{…}}` its overrides format. */
function ruleColumns(): string[] {
  const rule = MODULE.slice(MODULE.indexOf("resource analyticsRule 'Microsoft.SecurityInsights/alertRules"));
  const body = rule.slice(0, rule.indexOf('\nresource '));
  const mapped = [...body.matchAll(/columnName: '([^']+)'/g)].map((match) => match[1]!);
  const details = body.slice(body.indexOf('customDetails: {'), body.indexOf('}', body.indexOf('customDetails: {')));
  const detailColumns = [...details.matchAll(/^\s+\w+: '([^']+)'$/gm)].map((match) => match[1]!);
  const formatted = [...body.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!);
  const named = [...body.matchAll(/(?:alertSeverityColumnName|value): '([^']+)'/g)].map((match) => match[1]!);
  return [...mapped, ...detailColumns, ...formatted, ...named];
}

describe('the Sentinel module (infra/modules/sentinel.bicep)', () => {
  it('deploys the very column list the channel writes (npm run sentinel:columns writes it)', () => {
    assert.deepEqual(JSON.parse(read('sentinel', 'lureAlertsColumns.json')), SENTINEL_COLUMNS);
  });

  it('builds the table schema, the stream declaration and the transform from that one list', () => {
    assert.match(MODULE, /var columns = loadJsonContent\('\.\.\/sentinel\/lureAlertsColumns\.json'\)/);
    const table = MODULE.slice(MODULE.indexOf("resource table '"), MODULE.indexOf("resource endpoint '"));
    assert.match(table, /columns: \[for column in columns: \{\s+name: column\.name\s+type: column\.type == 'datetime' \? 'dateTime' : column\.type/);
    const rule = MODULE.slice(MODULE.indexOf("resource rule '"), MODULE.indexOf("resource publisher '"));
    assert.match(rule, /'\$\{streamName\}': \{\s+columns: \[for column in columns: \{\s+name: column\.name\s+type: column\.type/);
    assert.match(rule, /transformKql: 'source \| project \$\{join\(map\(columns, column => column\.name\), ', '\)\}'/);
    assert.match(rule, /outputStream: streamName/);
    assert.match(MODULE, /var streamName = 'Custom-\$\{tableName\}'/);
    assert.match(MODULE, /var tableName = 'LureAlerts_CL'/);
  });

  it('names columns a custom table may have: TimeGenerated first, none reserved, letters, digits and _ up to 45', () => {
    assert.deepEqual(SENTINEL_COLUMNS[0], { name: 'TimeGenerated', type: 'datetime', description: SENTINEL_COLUMNS[0].description });
    for (const { name } of SENTINEL_COLUMNS) {
      assert.ok(!(RESERVED_COLUMN_NAMES as readonly string[]).some((reserved) => reserved.toLowerCase() === name.toLowerCase()), `${name} is reserved`);
      assert.match(name, /^[A-Za-z][A-Za-z0-9_]{0,44}$/);
    }
  });

  it('grants Lure only Monitoring Metrics Publisher, on the rule', () => {
    const publisher = MODULE.slice(MODULE.indexOf("resource publisher '"), MODULE.indexOf("resource analyticsRule '"));
    assert.match(publisher, /scope: rule/);
    assert.match(publisher, /roleDefinitionIds\.monitoringMetricsPublisher/);
  });

  it("the analytics rule's query reads only the table's columns and names it defines", () => {
    const code = QUERY.replace(/\/\/[^\n]*/g, '');
    const defined = new Set(
      [...code.matchAll(/\b(?:let|extend)\s+([A-Za-z_]\w*)\s*=/g), ...code.matchAll(/,\s*([A-Za-z_]\w*)\s*=/g)].map((match) => match[1]!),
    );
    const kql = new Set(['LureAlerts_CL', 'Status']);
    for (const name of kqlNames(QUERY)) {
      if (TABLE_COLUMNS.has(name) || defined.has(name) || kql.has(name)) continue;
      assert.fail(`the query names ${name}, which is neither a column of LureAlerts_CL nor defined in the query`);
    }
    assert.ok(QUERY.includes('LureAlerts_CL'));
  });

  it("the rule's entity mappings, custom details and overrides name columns the query returns", () => {
    const returned = new Set(projected(QUERY));
    assert.ok(returned.size > 10, [...returned].join(', '));
    const named = ruleColumns();
    assert.ok(named.length > 10);
    for (const name of named) assert.ok(returned.has(name), `the rule names ${name}, which the query does not return`);
    assert.ok(named.includes('IncidentId') || MODULE.includes("LureIncidentId: 'IncidentId'"), 'Lure incidents group Sentinel incidents');
    assert.match(MODULE, /groupByCustomDetails: \[\s+'LureIncidentId'\s+\]/);
  });

  it('maps every Lure severity to a Sentinel one and raises one alert per Lure alert', () => {
    const mapping = QUERY.slice(QUERY.indexOf('SentinelSeverity = case('));
    for (const severity of SEVERITIES.filter((value) => value !== 'low')) assert.ok(mapping.includes(`"${severity}"`), severity);
    assert.match(QUERY, /summarize arg_max\(Revision, \*\) by AlertId/);
    assert.match(MODULE, /aggregationKind: 'AlertPerResult'/);
  });

  it('is deployed only when asked, into the workspace wherever it is, and gives the Function App both settings', () => {
    const main = withoutComments(read('main.bicep'));
    assert.match(main, /module sentinel 'modules\/sentinel\.bicep' = if \(alertsTableEnabled\)/);
    assert.match(main, /scope: workspaceScope/);
    assert.match(main, /sentinelEndpoint: alertsTableEnabled \? sentinel!\.outputs\.ingestionEndpoint : ''/);
    assert.match(main, /sentinelRuleId: alertsTableEnabled \? sentinel!\.outputs\.ruleImmutableId : ''/);
    const app = withoutComments(read('modules', 'functionApp.bicep'));
    assert.match(app, /LURE_SENTINEL_ENDPOINT: sentinelEndpoint\s+LURE_SENTINEL_RULE_ID: sentinelRuleId/);
  });
});

describe('the workspace export (infra/modules/workspaceExport.bicep)', () => {
  const EXPORT = withoutComments(read('modules', 'workspaceExport.bicep'));
  const listed = (name: string) => {
    const block = new RegExp(`var ${name} = \\[([^\\]]*)\\]`).exec(EXPORT)?.[1] ?? '';
    return [...block.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
  };

  it('exports exactly the tables replay and the hubs read, each to the hub whose function reads it', () => {
    const entra = listed('entraTables');
    const exchange = listed('exchangeTables');
    assert.deepEqual([...entra, ...exchange].sort(), [...LOG_ANALYTICS_TABLES].sort());
    assert.deepEqual(exchange.sort(), ['CloudAppEvents', 'OfficeActivity']);
    assert.match(EXPORT, /eventHubName: hubNames\.entra\s+\}\s+\}\s+tableNames: entraTables/);
    assert.match(EXPORT, /eventHubName: hubNames\.exchange\s+\}\s+\}\s+tableNames: exchangeTables/);
  });

  it('is deployed only when asked and only onto a named workspace, in its resource group', () => {
    const main = withoutComments(read('main.bicep'));
    assert.match(main, /module workspaceExport 'modules\/workspaceExport\.bicep' = if \(workspaceExportEnabled && !empty\(logAnalyticsWorkspaceId\)\)/);
    assert.match(main, /param workspaceExportEnabled bool = false/);
  });
});
