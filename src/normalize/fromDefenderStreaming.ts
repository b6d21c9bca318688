import { type JsonObject, numberOf, objectOf, text } from './fields.js';
import { fromAzureAdAudit } from './fromAzureAdAudit.js';
import { fromExchangeAudit } from './fromExchangeAudit.js';
import { fromSharePointAudit } from './fromSharePointAudit.js';
import { isSkip, type NormalizeOutcome, skip } from './outcome.js';

const CLOUD_APP_EVENTS = 'AdvancedHunting-CloudAppEvents';
/** Defender for Cloud Apps' ids for Exchange Online, SharePoint Online and OneDrive for Business, in `ApplicationId`. */
const EXCHANGE_ONLINE_APPLICATION_ID = 20893;
const SHAREPOINT_ONLINE_APPLICATION_ID = 20892;
const ONEDRIVE_APPLICATION_ID = 15600;

/**
 * A Defender XDR streaming API record (`category: AdvancedHunting-<Table>`). Only `CloudAppEvents` is used:
 * its `RawEventData` is the Management Activity API record, which is read exactly as if the poller had
 * fetched it. The Advanced Hunting columns fill gaps the raw record leaves.
 */
export function fromDefenderStreaming(record: JsonObject, category: string): NormalizeOutcome {
  if (category !== CLOUD_APP_EVENTS) return skip('table-not-used', category);
  const properties = objectOf(record['properties']);
  if (properties === undefined) return skip('invalid-record', `${category}: no properties`);
  const actionType = text(properties['ActionType']) ?? 'unknown';
  const raw = objectOf(properties['RawEventData']);
  if (raw === undefined) {
    return skip('invalid-record', `${category} ${actionType}: no RawEventData`);
  }
  const merged: JsonObject = {
    ...raw,
    Id: raw['Id'] ?? properties['ReportId'],
    Operation: raw['Operation'] ?? properties['ActionType'],
    CreationTime: raw['CreationTime'] ?? properties['Timestamp'],
    ClientIPAddress: raw['ClientIPAddress'] ?? properties['IPAddress'],
    OrganizationId: raw['OrganizationId'] ?? record['tenantId'],
  };
  // CloudAppEvents also carries other clouds' events (Google Workspace, …) with no Workload: the
  // application columns tell Microsoft's own apart.
  const workload = text(merged['Workload']) ?? workloadOfApplication(numberOf(properties['ApplicationId']), text(properties['Application']));
  const outcome =
    workload === 'AzureActiveDirectory'
      ? fromAzureAdAudit(merged)
      : workload === 'Exchange'
        ? fromExchangeAudit(merged, 'defender')
        : workload === 'SharePoint' || workload === 'OneDrive'
          ? fromSharePointAudit({ ...merged, Workload: workload }, 'defender')
          : skip(
              'workload-not-used',
              `${category} ${workload ?? text(properties['Application']) ?? `application ${text(properties['ApplicationId']) ?? '?'}`}`,
            );
  if (isSkip(outcome)) return outcome;
  return { ...outcome, source: 'defender' };
}

function workloadOfApplication(applicationId: number | undefined, application: string | undefined): string | undefined {
  if (applicationId === EXCHANGE_ONLINE_APPLICATION_ID || application === 'Microsoft Exchange Online') return 'Exchange';
  if (applicationId === SHAREPOINT_ONLINE_APPLICATION_ID || application === 'Microsoft SharePoint Online') return 'SharePoint';
  if (applicationId === ONEDRIVE_APPLICATION_ID || application === 'Microsoft OneDrive for Business') return 'OneDrive';
  return undefined;
}
