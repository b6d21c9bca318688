import { randomUUID } from 'node:crypto';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { z } from 'zod';
import type { TokenDecoy } from '../../domain/decoys.js';
import type { HoneytokenGeneration } from '../../domain/lifecycle.js';
import { type CreateRequestBase, type DecoyIdentifier, type DecoyKindModule, DecoyStateError, type LifecycleContext } from '../decoyKind.js';
import { commonCreateFields, commonDecoyFields, opaqueIdSchema } from '../decoySchemaParts.js';
import { newOpaqueId } from '../secrets.js';

export interface CreateTokenDecoyRequest extends CreateRequestBase {
  readonly kind: 'token';
  /** The API the honeytoken pretends to be for (`aud`); by default the configured cloud's Graph. */
  readonly audience?: string;
  readonly lifetimeInDays: number;
}

/**
 * A honeytoken JWT: it grants nothing, so any API that sees it presented has found a planted lure. Lure
 * mints it with a decoy `kid` and a fresh `jti`, signed by a throwaway key discarded right after, and looking
 * like an Entra v1 access token of the tenant. Rotation mints a new one under the same `kid`, so tokens
 * planted earlier still fire.
 */
export const tokenDecoy: DecoyKindModule<'token', CreateTokenDecoyRequest> = {
  kind: 'token',
  schema: z
    .strictObject({
      ...commonDecoyFields,
      kind: z.literal('token'),
      kid: opaqueIdSchema.optional(),
      jti: opaqueIdSchema.optional(),
    })
    .refine((decoy) => decoy.kid ?? decoy.jti, { error: 'needs kid or jti' }),
  identifiers(decoy: TokenDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [];
    if (decoy.kid !== undefined) identifiers.push({ space: 'tokenKid', value: decoy.kid });
    if (decoy.jti !== undefined) identifiers.push({ space: 'tokenJti', value: decoy.jti });
    return identifiers;
  },
  mailboxOf: () => undefined,
  lifecycle: {
    createSchema: z.strictObject({
      ...commonCreateFields,
      kind: z.literal('token'),
      // Unset: the Graph of the configured cloud (LURE_CLOUD), where a stolen Graph token would be tried.
      audience: z.string().trim().min(1).max(256).optional(),
      lifetimeInDays: z.number().int().min(1).max(3650).default(365),
    }),
    // The honeytoken is returned like a secret, but it grants nothing, and Lure keeps it.
    makesSecret: false,
    keptGenerations: () => 1,
    targetOf: () => Promise.resolve({ kind: 'token' }),

    async create(request, _target, entry, context) {
      // Shaped like an Entra signing key id (a base64url SHA-1 thumbprint), so it does not stand out.
      const kid = newOpaqueId(20);
      const audience = request.audience ?? context.settings.graphBaseUrl;
      const minted = await mint(kid, audience, request.lifetimeInDays, entry.id, context);
      return {
        decoy: {
          kind: 'token',
          id: request.id,
          enabled: request.enabled,
          kid,
          jti: minted.generation.jti,
          ...(request.memo === undefined ? {} : { memo: request.memo }),
          ...(request.rotationIntervalInHours === undefined ? {} : { rotationIntervalInHours: request.rotationIntervalInHours }),
        },
        ...minted,
        lifecycleExtras: { honeytokenAudience: audience, honeytokenLifetimeInDays: request.lifetimeInDays },
      };
    },

    async rotate(decoy, lifecycle, entry, context) {
      if (decoy.kid === undefined)
        throw new DecoyStateError(`decoy ${decoy.id}: a honeytoken registered by jti alone cannot be minted again; create a new one`);
      return mint(decoy.kid, lifecycle.honeytokenAudience ?? context.settings.graphBaseUrl, lifecycle.honeytokenLifetimeInDays ?? 365, entry.id, context);
    },

    registered: (decoy, generations) => {
      const current = generations.filter((generation): generation is HoneytokenGeneration => generation.kind === 'honeytoken').at(-1);
      return current === undefined ? decoy : { ...decoy, jti: current.jti };
    },
    // Nothing lives in the tenant: earlier honeytokens keep firing through the kid.
    removeGeneration: async () => {},
    undoCreate: async () => {},
    sweep: () => Promise.resolve(0),
    retire: async () => {},

    material(decoy, honeytoken) {
      if (honeytoken === undefined) return undefined;
      return {
        text: [
          `// appsettings.Production.json (${decoy.memo ?? 'reporting service'})`,
          `"GraphClient": { "BearerToken": "${honeytoken}" }`,
          ...curlLineOf(honeytoken),
        ].join('\n'),
        advice:
          'Plant where an intruder collects tokens: a config file or CI log in a repository, a browser-extension export, a script on a jump host. Any API behind a gateway that reports tokens to Lure will catch its use.',
      };
    },
  },
};

/** The curl line of the lure: a call to the honeytoken's own audience, when that is a URL (the cloud's Graph by default). */
function curlLineOf(honeytoken: string): string[] {
  const audience = decodeJwt(honeytoken).aud;
  if (typeof audience !== 'string' || !/^https:\/\/[^/]+\/?$/.test(audience)) return [];
  return ['', `curl -H 'Authorization: Bearer ${honeytoken}' ${audience.replace(/\/$/, '')}/v1.0/users`];
}

async function mint(
  kid: string,
  audience: string,
  lifetimeInDays: number,
  journalId: string,
  context: LifecycleContext,
): Promise<{ generation: HoneytokenGeneration; honeytoken: string }> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jti = newOpaqueId(16);
  const issuedAt = Math.floor(context.now.getTime() / 1000);
  const expiresAt = issuedAt + lifetimeInDays * 86_400;
  const tenantId = context.tenantId ?? randomUUID();
  const honeytoken = await new SignJWT({
    aud: audience,
    iss: `https://sts.windows.net/${tenantId}/`,
    tid: tenantId,
    appid: randomUUID(),
    oid: randomUUID(),
    idtyp: 'app',
    uti: newOpaqueId(16),
    ver: '1.0',
    jti,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid, x5t: kid })
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(privateKey);
  // The private key goes out of scope here: nobody, Lure included, can sign with it again.
  return {
    generation: { kind: 'honeytoken', journalId, createdAt: context.now.toISOString(), jti, expiresAt: new Date(expiresAt * 1000).toISOString() },
    honeytoken,
  };
}
