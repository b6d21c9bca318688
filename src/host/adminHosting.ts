import type { JSONWebKeySet } from 'jose';
import { DEV_API_CLIENT_ID, DEV_TENANT_ID } from '../adapters/devTokens.js';
import type { Config } from '../config/config.js';
import type { AdminApiDependencies } from '../app/admin/adminDependencies.js';
import { AdminApi } from '../app/admin/adminApi.js';
import { CallerAuthenticator, USER_SCOPE } from '../app/admin/callerAuthenticator.js';

/** Whom a local host's dev tokens are for: the configured tenant and API, or stand-ins that are never real. */
export function devTokenIdentity(config: Pick<Config, 'signing' | 'api'>): { readonly tenantId: string; readonly audience: string } {
  return { tenantId: config.signing.tenantId ?? DEV_TENANT_ID, audience: config.api.clientId ?? DEV_API_CLIENT_ID };
}

/**
 * The admin API of a host. In Azure: tokens of the tenant for the configured API, verified against the
 * tenant's published keys; without a tenant and client id, an API that refuses everything (503). Locally
 * (`devKeys`): the dev key besides, never in Azure.
 */
export function adminApiFor(
  dependencies: AdminApiDependencies & { readonly config: Pick<Config, 'signing' | 'api' | 'delivery'> },
  options: { readonly devKeys?: JSONWebKeySet } = {},
): AdminApi {
  const { config, clock, logger } = dependencies;
  const tenantId = config.signing.tenantId;
  const configured = tenantId !== undefined && config.api.audiences.length > 0;
  if (options.devKeys !== undefined) {
    if (config.delivery.inAzure) throw new RangeError('dev tokens are for the local host only and cannot be accepted in Azure (WEBSITE_SITE_NAME is set)');
    const identity = devTokenIdentity(config);
    const audiences = configured ? config.api.audiences : [identity.audience, `api://${identity.audience}`];
    return new AdminApi(
      dependencies,
      new CallerAuthenticator({
        tenantId: identity.tenantId,
        authorityHost: config.signing.authorityHost,
        audiences,
        delegatedClientIds: [...config.api.delegatedClientIds, identity.audience.toLowerCase()],
        tenantKeys: configured,
        devKeys: options.devKeys,
        clock,
        logger,
      }),
      { mode: 'local', cloud: config.signing.cloud },
    );
  }
  const clientId = config.api.clientId;
  if (!configured || clientId === undefined) return new AdminApi(dependencies, undefined, { mode: 'unconfigured', cloud: config.signing.cloud });
  return new AdminApi(
    dependencies,
    new CallerAuthenticator({
      tenantId,
      authorityHost: config.signing.authorityHost,
      audiences: config.api.audiences,
      delegatedClientIds: config.api.delegatedClientIds,
      tenantKeys: true,
      clock,
      logger,
    }),
    {
      mode: 'entra',
      cloud: config.signing.cloud,
      tenantId,
      clientId,
      authority: `${config.signing.authorityHost}/${tenantId}`,
      scopes: [`${config.api.audiences[1] ?? `api://${clientId}`}/${USER_SCOPE}`],
    },
  );
}
