import { z } from 'zod';
import type { ApplicationDecoy } from '../../domain/decoys.js';
import type { ClientSecretGeneration, JournalEntry } from '../../domain/lifecycle.js';
import type { NewPasswordCredential } from '../../ports/directory.js';
import { DirectoryError } from '../../ports/directory.js';
import type { CreateRequestBase, DecoyIdentifier, DecoyKindModule, LifecycleContext } from '../decoyKind.js';
import { commonCreateFields, commonDecoyFields, guidSchema } from '../decoySchemaParts.js';
import { applicationUniqueNameOf, credentialDisplayNameOf, journalIdIn } from '../markers.js';
import { fingerprintOf, hintOf, randomItemOf } from '../secrets.js';

export interface CreateApplicationDecoyRequest extends CreateRequestBase {
  readonly kind: 'application';
  readonly displayName?: string;
}

/** Names an app an intruder would want the secret of, and nobody would miss. */
const APPLICATION_NAMES = [
  'Backup Sync Connector',
  'Payroll Export Service',
  'Legacy SharePoint Migration',
  'Finance Reporting Automation',
  'Mailbox Archive Exporter',
];

/**
 * A decoy app registration and its service principal, with no API permissions, holding client secrets
 * nobody legitimate uses. Rotation adds a secret (a new generation, named by its `keyId`) and removes those
 * beyond the kept generations, so a lure planted before the last rotation still works and attributes.
 */
export const applicationDecoy: DecoyKindModule<'application', CreateApplicationDecoyRequest> = {
  kind: 'application',
  schema: z.strictObject({
    ...commonDecoyFields,
    kind: z.literal('application'),
    appId: guidSchema,
    servicePrincipalId: guidSchema.optional(),
    objectId: guidSchema.optional(),
    credentialKeyIds: z.array(guidSchema).max(64).default([]),
  }),
  identifiers(decoy: ApplicationDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [{ space: 'appId', value: decoy.appId }];
    if (decoy.servicePrincipalId !== undefined) identifiers.push({ space: 'servicePrincipalId', value: decoy.servicePrincipalId });
    if (decoy.objectId !== undefined) identifiers.push({ space: 'applicationObjectId', value: decoy.objectId });
    return identifiers;
  },
  mailboxOf: () => undefined,
  lifecycle: {
    createSchema: z.strictObject({
      ...commonCreateFields,
      kind: z.literal('application'),
      displayName: z.string().trim().min(1).max(120).optional(),
    }),
    makesSecret: true,
    keptGenerations: (settings) => settings.keptSecrets,

    targetOf: (_request, journalId) => Promise.resolve({ kind: 'application', uniqueName: applicationUniqueNameOf(journalId) }),

    async create(request, target, entry, context) {
      if (target.kind !== 'application') throw new TypeError('an application decoy needs an application target');
      // Upserts keyed by uniqueName and appId: a create resumed or retried after a crash makes no second app.
      const application = await context.directory.upsertApplication(target.uniqueName, request.displayName ?? randomItemOf(APPLICATION_NAMES));
      const servicePrincipalId = await context.directory.upsertServicePrincipal(application.appId);
      const secret = await addSecret(application.id, entry, context);
      return {
        decoy: {
          kind: 'application',
          id: request.id,
          enabled: request.enabled,
          appId: application.appId,
          servicePrincipalId,
          objectId: application.id,
          credentialKeyIds: [secret.keyId],
          ...(request.memo === undefined ? {} : { memo: request.memo }),
          ...(request.rotationIntervalInHours === undefined ? {} : { rotationIntervalInHours: request.rotationIntervalInHours }),
        },
        generation: secretGeneration(secret, entry.id, context),
        secret: secret.secretText,
      };
    },

    async rotate(decoy, _lifecycle, entry, context) {
      const secret = await addSecret(objectIdOf(decoy), entry, context);
      return { generation: secretGeneration(secret, entry.id, context), secret: secret.secretText };
    },

    registered: (decoy, generations) => ({
      ...decoy,
      credentialKeyIds: generations.flatMap((generation) => (generation.kind === 'clientSecret' ? [generation.keyId] : [])),
    }),

    async removeGeneration(decoy, generation, context) {
      if (generation.kind === 'clientSecret') await context.directory.removeApplicationPassword(objectIdOf(decoy), generation.keyId);
    },

    async undoCreate(target, _entry, context) {
      if (target.kind !== 'application') return;
      const application = await context.directory.getApplicationByUniqueName(target.uniqueName);
      if (application !== undefined) await context.directory.deleteApplication(application.id);
    },

    async sweep(decoy, lifecycle, ownMarker, context, beforeRemoving) {
      const objectId = objectIdOf(decoy);
      const application = await context.directory.getApplication(objectId);
      if (application === undefined) return 0;
      const kept = new Set(lifecycle.generations.flatMap((generation) => (generation.kind === 'clientSecret' ? [generation.keyId] : [])));
      // Only Lure's own leftovers: a credential someone else added is evidence, and raises its own alert.
      const leftovers = application.passwordCredentials.filter((credential) => {
        const journalId = journalIdIn(credential.displayName);
        return journalId !== undefined && ownMarker(journalId) && !kept.has(credential.keyId);
      });
      if (leftovers.length > 0) await beforeRemoving();
      for (const credential of leftovers) await context.directory.removeApplicationPassword(objectId, credential.keyId);
      return leftovers.length;
    },

    async retire(decoy, lifecycle, context) {
      if (lifecycle.createdByLure) {
        await context.directory.deleteApplication(objectIdOf(decoy));
        return;
      }
      // A registered app is the customer's: only the secrets Lure added go.
      for (const generation of lifecycle.generations) {
        if (generation.kind === 'clientSecret' && generation.journalId !== undefined)
          await context.directory.removeApplicationPassword(objectIdOf(decoy), generation.keyId);
      }
    },

    material(decoy, secret, context) {
      if (secret === undefined) return undefined;
      const tenant = context.tenantId;
      return {
        text: [
          `# ${decoy.memo ?? 'Service connection for the nightly export job'}`,
          ...(tenant === undefined ? [] : [`AZURE_TENANT_ID=${tenant}`]),
          `AZURE_CLIENT_ID=${decoy.appId}`,
          `AZURE_CLIENT_SECRET=${secret}`,
          '',
          `az login --service-principal --username ${decoy.appId} --password '${secret}'${tenant === undefined ? '' : ` --tenant ${tenant}`} --allow-no-subscriptions`,
        ].join('\n'),
        advice:
          'Plant where an intruder harvests app secrets: a .env or pipeline variable file in a repository or file share, an automation script, a decoy Key Vault secret.',
      };
    },
  },
};

async function addSecret(objectId: string, entry: JournalEntry, context: LifecycleContext): Promise<NewPasswordCredential> {
  const endDateTime = new Date(context.now.getTime() + context.settings.secretLifetimeInDays * 86_400_000).toISOString();
  return context.directory.addApplicationPassword(objectId, { displayName: credentialDisplayNameOf(entry), endDateTime });
}

function secretGeneration(secret: NewPasswordCredential, journalId: string, context: LifecycleContext): ClientSecretGeneration {
  return {
    kind: 'clientSecret',
    journalId,
    createdAt: context.now.toISOString(),
    keyId: secret.keyId,
    fingerprint: fingerprintOf(secret.secretText),
    hint: hintOf(secret.secretText),
    ...(secret.endDateTime === undefined ? {} : { endDateTime: secret.endDateTime }),
  };
}

function objectIdOf(decoy: ApplicationDecoy): string {
  if (decoy.objectId === undefined) {
    throw new DirectoryError(
      'applications',
      `decoy ${decoy.id} has no objectId (the application object's id): register it with one so Lure can manage its secrets`,
    );
  }
  return decoy.objectId;
}
