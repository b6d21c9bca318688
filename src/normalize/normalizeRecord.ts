import { type EntraSignInCategory, SIGN_IN_CATEGORIES } from '../domain/events.js';
import { isObject, text } from './fields.js';
import { fromAzureAdAudit } from './fromAzureAdAudit.js';
import { fromDefenderStreaming } from './fromDefenderStreaming.js';
import { fromEntraAudit } from './fromEntraAudit.js';
import { fromEntraSignIn } from './fromEntraSignIn.js';
import { fromExchangeAudit } from './fromExchangeAudit.js';
import { fromGraphActivity } from './fromGraphActivity.js';
import { diagnosticFormOf, logAnalyticsTableOf } from './fromLogAnalytics.js';
import { fromSharePointAudit } from './fromSharePointAudit.js';
import { fromTokenObservation } from './fromTokenObservation.js';
import { type NormalizeOutcome, skip } from './outcome.js';

const SIGN_IN_CATEGORY_SET: ReadonlySet<string> = new Set(SIGN_IN_CATEGORIES);

/** Entra diagnostic categories that exist and may share the hub, but carry nothing Lure detects on. */
const ENTRA_CATEGORIES_NOT_USED = new Set([
  'UserRiskEvents',
  'RiskyUsers',
  'RiskyServicePrincipals',
  'ServicePrincipalRiskEvents',
  'ProvisioningLogs',
  'GraphNotificationsActivityLogs',
  'NetworkAccessTrafficLogs',
  'NetworkAccessAlerts',
  'NetworkAccessConnectionEvents',
  'EnrichedOffice365AuditLogs',
  'RemoteNetworkHealthLogs',
  'B2CRequestLogs',
  'MicrosoftGraphActivityLogsSummary',
  'AADRiskyUsers',
  'ServicePrincipalSignInLogsSummary',
]);

const DEFENDER_PREFIX = 'AdvancedHunting-';

/**
 * Routes one raw record to the mapper for its source. Records are self-describing: diagnostic and
 * streaming records by `category`, Management Activity API records by `Workload`, Log Analytics rows by
 * `Type`, so the same function serves every hub and mixed replay files.
 */
export function normalizeRecord(record: unknown): NormalizeOutcome {
  if (!isObject(record)) return skip('not-an-object', record === null ? 'null' : Array.isArray(record) ? 'array' : typeof record);

  // Management Activity API records carry Workload, Operation and RecordType (and some a `Category` of their own).
  const workload = text(record['Workload']);
  if (workload !== undefined && text(record['Operation']) !== undefined && record['RecordType'] !== undefined) {
    if (workload === 'Exchange') return fromExchangeAudit(record);
    if (workload === 'AzureActiveDirectory') return fromAzureAdAudit(record);
    if (workload === 'SharePoint' || workload === 'OneDrive') return fromSharePointAudit(record);
    return skip('workload-not-used', workload.slice(0, 80));
  }

  const category = text(record['category']);
  if (category === undefined) {
    // A Log Analytics row (a workspace export, an az query) has no category but names its table: it is read
    // as the record it came from. Asked only here, so diagnostic records pay nothing for it.
    const table = logAnalyticsTableOf(record);
    if (table !== undefined) return normalizeRecord(diagnosticFormOf(record, table));
    return skip('unrecognized-shape', 'no category, and no Workload, Operation and RecordType');
  }
  if (!('properties' in record)) {
    // The Graph REST forms (`/auditLogs/directoryAudits`, `/auditLogs/signIns`) have a `category` but no envelope.
    return skip('unrecognized-shape', 'a category but no properties (a Graph REST resource, not a diagnostic record?)');
  }
  if (SIGN_IN_CATEGORY_SET.has(category)) return fromEntraSignIn(record, category as EntraSignInCategory);
  if (category === 'AuditLogs') return fromEntraAudit(record);
  if (category === 'MicrosoftGraphActivityLogs') return fromGraphActivity(record);
  if (category === 'TokenObservation') return fromTokenObservation(record);
  if (category.startsWith(DEFENDER_PREFIX)) return fromDefenderStreaming(record, category);
  if (ENTRA_CATEGORIES_NOT_USED.has(category)) return skip('category-not-used', category);
  return skip('unknown-category', category.slice(0, 80));
}
