import { GraphDirectory } from '../../src/adapters/graph/graphDirectory.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Directory } from '../../src/ports/directory.js';
import type { Logger } from '../../src/ports/logger.js';
import { after, before } from 'node:test';
import { FAKE_TENANT_ID, type FakeGraph, type FakeTokenEndpoint, startFakeGraph, startFakeTokenEndpoint } from './fakeGraph.js';
import { testServices } from './services.js';
import type { StateStore } from '../../src/ports/store/stateStore.js';
import { connectTableStateStore } from '../../src/adapters/tables/tableStateStore.js';
import type { Services } from '../../src/host/services.js';

/** Lure's own managed identity in the fake tenant: its service principal id and app id. */
export const LURE_SERVICE_PRINCIPAL_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const LURE_APP_ID = '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b';
export const DECOY_MAILBOX = 'finance-archive@contoso.example';

/** A Graph directory over the fakes, with retries that do not sleep. */
export function fakeTenantDirectory(graph: FakeGraph, login: FakeTokenEndpoint, timeoutInMs = 2_000): GraphDirectory {
  return new GraphDirectory({ baseUrl: graph.url, credential: login.credential(), timeoutInMs, sleep: async () => {} });
}

export async function azuriteStore(connectionString: string, tablePrefix: string): Promise<StateStore> {
  return connectTableStateStore({ connection: { connectionString }, tablePrefix });
}

/** Services that manage decoys in the fake tenant. */
export function tenantServices(options: {
  readonly store: StateStore;
  readonly directory: Directory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly settings?: Record<string, string>;
  readonly sleep?: (ms: number) => Promise<void>;
}): Promise<Services> {
  return testServices({
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    store: options.store,
    directory: options.directory,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    settings: {
      LURE_TENANT_ID: FAKE_TENANT_ID,
      LURE_DECOY_USER_DOMAIN: 'contoso.example',
      LURE_SELF_PRINCIPAL_IDS: `${LURE_SERVICE_PRINCIPAL_ID},${LURE_APP_ID}`,
      ...options.settings,
    },
  });
}

/** An Entra AuditLogs record of a change to an application's secrets, made by `actor` at `time`. */
export function secretChangeAuditRecord(options: { time: string; applicationObjectId: string; actor: 'lure' | 'admin' }): Record<string, unknown> {
  const initiatedBy =
    options.actor === 'lure'
      ? { app: { appId: LURE_APP_ID, displayName: 'lure', servicePrincipalId: LURE_SERVICE_PRINCIPAL_ID, servicePrincipalName: null } }
      : { user: { id: '4d5e6f7a-8b9c-4dae-8f01-2a3b4c5d6e7f', userPrincipalName: 'it-admin@contoso.example', ipAddress: '203.0.113.77' } };
  return {
    time: options.time,
    operationName: 'Update application – Certificates and secrets management ',
    category: 'AuditLogs',
    tenantId: FAKE_TENANT_ID,
    properties: {
      id: `Directory_${options.applicationObjectId.slice(0, 5)}_${Date.parse(options.time)}_${options.actor}`,
      category: 'ApplicationManagement',
      result: 'success',
      activityDisplayName: 'Update application – Certificates and secrets management ',
      activityDateTime: options.time,
      loggedByService: 'Core Directory',
      operationType: 'Update',
      initiatedBy,
      targetResources: [{ id: options.applicationObjectId, displayName: 'Backup Sync Connector', type: 'Application', modifiedProperties: [] }],
      additionalDetails: [],
    },
  };
}

/**
 * Starts the loopback fakes of the token endpoint and of Graph (with the decoy mailbox) for the test file
 * and stops them after. The fake tenant keeps its objects for the whole file, as a real one would.
 */
export function useFakeTenant(): { readonly login: () => FakeTokenEndpoint; readonly graph: () => FakeGraph } {
  let login: FakeTokenEndpoint | undefined;
  let graph: FakeGraph | undefined;
  before(async () => {
    login = await startFakeTokenEndpoint();
    graph = await startFakeGraph({ accessToken: login.accessToken, callerAppId: LURE_APP_ID });
    graph.addMailbox(DECOY_MAILBOX);
  });
  after(async () => {
    await graph?.close();
    await login?.close();
  });
  return { login: () => login!, graph: () => graph! };
}
