import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { StateStore } from '../../ports/store/stateStore.js';
import { tableAlertStore } from './alertTable.js';
import { tableAuditFeedStore } from './auditFeedTable.js';
import { tableAuditStore } from './auditTable.js';
import { tableDeadLetterStore } from './deadLetterTable.js';
import { tableDecoyStore } from './decoyTable.js';
import { DocumentTable } from './documentTable.js';
import { tableHubCheckpointStore } from './hubCheckpointTable.js';
import { tableIncidentStore } from './incidentTable.js';
import { tableLifecycleStore } from './lifecycleTable.js';
import { tableMailBaselineStore } from './mailBaselineTable.js';
import { tableOutboxStore } from './outboxTable.js';
import { tableSigningKeyStore } from './signingKeyTable.js';
import { tableStreamStore } from './streamTable.js';
import { tableTokenIndexStore } from './tokenIndexTable.js';

/** How to reach Table Storage: a connection string (Azurite, local) or an endpoint and an Entra credential (Azure). */
export type TableConnection = { readonly connectionString: string } | { readonly serviceUri: string; readonly credential: TokenCredential };

export interface TableStateStoreOptions {
  readonly connection: TableConnection;
  /** Prefix of every table name, so several Lure instances can share an account. */
  readonly tablePrefix: string;
  /** Retries of transient failures (throttling, 5xx, network) inside the SDK, with exponential backoff honouring Retry-After. */
  readonly retry?: { readonly maxRetries?: number; readonly retryDelayInMs?: number; readonly maxRetryDelayInMs?: number };
  /** Called once per HTTP request sent to Table Storage (retries included): for counting round trips. */
  readonly onRequest?: () => void;
}

const TABLE_SUFFIXES = {
  decoys: 'Decoys',
  alerts: 'Alerts',
  deadLetters: 'DeadLetters',
  tokenIssuances: 'TokenIssuances',
  tokenChecks: 'TokenChecks',
  signInProgress: 'SignInProgress',
  tokenMatches: 'TokenMatches',
  signInLateness: 'SignInLateness',
  missingIssuances: 'MissingIssuances',
  signingKeys: 'SigningKeys',
  mailBaselines: 'MailBaselines',
  incidents: 'Incidents',
  incidentKeys: 'IncidentKeys',
  streams: 'Streams',
  lifecycles: 'Lifecycles',
  outbox: 'Outbox',
  audit: 'Audit',
  auditFeed: 'AuditFeed',
  hubCheckpoints: 'HubCheckpoints',
  streamCounts: 'StreamCounts',
} as const;
type TableName = keyof typeof TABLE_SUFFIXES;

/** A pipeline policy of the Table client, as its options type it. */
type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/**
 * The state store over Azure Table Storage (`@azure/data-tables`): Azurite locally and in tests, a storage
 * account with a managed identity in Azure. One table (or two) per aggregate; connects and creates the
 * tables if they do not exist yet.
 */
export async function connectTableStateStore(options: TableStateStoreOptions): Promise<StateStore> {
  const tables = tableClientsOf(options);
  await Promise.all(Object.values(tables).map((table) => table.createTable()));
  return {
    ...tableDecoyStore(tables.decoys),
    ...tableAlertStore(tables.alerts),
    ...tableIncidentStore(tables.incidents, tables.incidentKeys),
    ...tableOutboxStore(tables.outbox),
    ...tableLifecycleStore(tables.lifecycles),
    ...tableTokenIndexStore({
      issuances: tables.tokenIssuances,
      checks: tables.tokenChecks,
      progress: tables.signInProgress,
      matches: tables.tokenMatches,
      lateness: tables.signInLateness,
      missing: tables.missingIssuances,
    }),
    ...tableSigningKeyStore(tables.signingKeys),
    ...tableMailBaselineStore(tables.mailBaselines),
    ...tableStreamStore(tables.streams, tables.streamCounts),
    ...tableAuditStore(tables.audit),
    ...tableAuditFeedStore(tables.auditFeed),
    ...tableHubCheckpointStore(tables.hubCheckpoints),
    ...tableDeadLetterStore(tables.deadLetters),
  };
}

function tableClientsOf(options: TableStateStoreOptions): Record<TableName, DocumentTable> {
  const { onRequest } = options;
  const counting: PipelinePolicy | undefined = onRequest && {
    name: 'lureRequestCounter',
    sendRequest: (request, next) => {
      onRequest();
      return next(request);
    },
  };
  const clientOptions: TableServiceClientOptions = {
    retryOptions: { maxRetries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 30_000, ...options.retry },
    ...(counting === undefined ? {} : { additionalPolicies: [{ policy: counting, position: 'perRetry' as const }] }),
  };
  const { connection } = options;
  const client = (name: TableName): TableClient => {
    const tableName = `${options.tablePrefix}${TABLE_SUFFIXES[name]}`;
    if ('connectionString' in connection) {
      return TableClient.fromConnectionString(connection.connectionString, tableName, {
        ...clientOptions,
        allowInsecureConnection: connection.connectionString.includes('http://'),
      });
    }
    return new TableClient(connection.serviceUri, tableName, connection.credential, clientOptions);
  };
  const names = Object.keys(TABLE_SUFFIXES) as TableName[];
  return Object.fromEntries(names.map((name) => [name, new DocumentTable(client(name))])) as Record<TableName, DocumentTable>;
}
