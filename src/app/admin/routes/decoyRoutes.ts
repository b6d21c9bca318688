import type { z } from 'zod';
import type { Decoy } from '../../../domain/decoys.js';
import { DecoyValidationError, parseDecoy } from '../../../decoys/parseDecoys.js';
import { ConcurrencyError } from '../../../ports/store/versioned.js';
import type { DecoyChanges } from '../../decoys/types.js';
import * as schemas from '../adminSchemas.js';
import { ApiError } from '../apiError.js';
import { changeBody, decoyResource } from './decoyResource.js';
import { getRoute, idParam, notFound, type Route } from './route.js';

const decoyParams = { id: schemas.decoyIdSchema };

/** `/decoys`: list, register or create, read, change, retire and rotate decoys, and show their lure material. */
export const DECOY_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/decoys',
    operationId: 'listDecoys',
    summary: 'List decoys, optionally by kind and enabled state',
    access: 'read',
    query: schemas.decoyListQuery,
    response: { status: 200, schema: schemas.decoyList, description: 'The decoys, by id' },
    async handle(dependencies, { query }) {
      const { kind, enabled } = query as z.infer<typeof schemas.decoyListQuery>;
      const lifecycles = new Map((await dependencies.store.listDecoyLifecycles()).map((lifecycle) => [lifecycle.decoyId, lifecycle]));
      const decoys = (await dependencies.store.listDecoys())
        .filter((decoy) => (kind === undefined || decoy.kind === kind) && (enabled === undefined || decoy.enabled === enabled))
        .sort((a, b) => a.id.localeCompare(b.id));
      return { status: 200, body: { items: decoys.map((decoy) => decoyResource(decoy, lifecycles.get(decoy.id))) } };
    },
  },
  {
    method: 'POST',
    path: '/decoys',
    operationId: 'addDecoy',
    summary: 'Register a decoy that exists ({"register": decoy}) or create one in the tenant ({"create": request}); a created secret is in this answer only',
    access: 'write',
    body: schemas.decoyPostBody,
    response: { status: 201, schema: schemas.decoyChange, description: 'The decoy as registered, and any lure material to plant now' },
    audit: {
      action: 'decoy.add',
      target: (_params, body) => {
        const request = body as { register?: { id?: unknown }; create?: { id?: unknown } };
        // An entry is written only once the request has validated, and a decoy's id is text.
        const id = request.register?.id ?? request.create?.id;
        return `decoy:${typeof id === 'string' ? id : '(no id)'}`;
      },
    },
    async handle(dependencies, { body }) {
      const request = body as z.infer<typeof schemas.decoyPostBody>;
      if (request.register !== undefined) {
        const decoy = parseDecoy(request.register, 'register');
        await dependencies.registerDecoy(decoy).catch((error: unknown) => {
          if (!(error instanceof DecoyValidationError)) throw error;
          // The id or an identifier is taken: name the request's field, not the registry's internal index.
          if (error.field === 'id') throw new ApiError(409, 'conflict', `a decoy with id ${decoy.id} already exists`, 'register.id');
          throw new ApiError(409, 'conflict', error.message.replace(/^decoys\[\d+\][^:]*: /, ''), 'register');
        });
        return { status: 201, body: { decoy }, location: `/api/decoys/${decoy.id}`, auditDetail: `registered ${decoy.kind} decoy ${decoy.id}` };
      }
      const created = await dependencies.lifecycles.create(request.create).catch((error: unknown) => {
        // The create request's fields are named as the caller wrote them: inside `create`.
        if (error instanceof DecoyValidationError) throw new DecoyValidationError(error.message.slice(error.field.length + 2), `create.${error.field}`);
        throw error;
      });
      return {
        status: 201,
        body: changeBody(created),
        location: `/api/decoys/${created.decoy.id}`,
        auditDetail: `created ${created.decoy.kind} decoy ${created.decoy.id} in the tenant`,
      };
    },
  },
  getRoute({
    path: '/decoys/{id}',
    operationId: 'getDecoy',
    summary: 'One decoy and its lifecycle; the ETag is what PATCH needs in If-Match',
    params: decoyParams,
    response: { status: 200, schema: schemas.decoyResource, description: 'The decoy' },
    kind: 'decoy',
    load: (dependencies, id) => dependencies.store.getDecoy(id),
    show: async (decoy, dependencies) => decoyResource(decoy, await dependencies.store.getDecoyLifecycle(decoy.id)),
    sendsEtag: true,
  }),
  {
    method: 'PATCH',
    path: '/decoys/{id}',
    operationId: 'updateDecoy',
    summary: 'Switch a decoy on or off, change its memo or rotation interval (If-Match: the ETag of a GET)',
    access: 'write',
    params: decoyParams,
    body: schemas.decoyPatchBody,
    requiresIfMatch: true,
    response: { status: 200, schema: schemas.decoyResource, description: 'The decoy as changed, with its new ETag' },
    audit: { action: 'decoy.update', target: (params) => `decoy:${params['id']}` },
    async handle(dependencies, { params, body, ifMatch }) {
      const changes = body as DecoyChanges;
      const id = idParam(params);
      if (ifMatch === undefined) throw new Error('updateDecoy requires If-Match, which the API checks before the handler runs');
      const before = await dependencies.store.getDecoy(id);
      if (before === undefined) throw notFound('decoy', id);
      try {
        const { decoy, etag } = await dependencies.lifecycles.configure(id, changes, ifMatch);
        return {
          status: 200,
          body: decoyResource(decoy, await dependencies.store.getDecoyLifecycle(decoy.id)),
          etag,
          auditDetail: changesInWords(before.value, decoy),
        };
      } catch (error) {
        if (error instanceof ConcurrencyError)
          throw new ApiError(412, 'preconditionFailed', 'the decoy changed since that ETag was read: GET it again and retry', 'If-Match');
        throw error;
      }
    },
  },
  {
    method: 'DELETE',
    path: '/decoys/{id}',
    operationId: 'retireDecoy',
    summary: 'Retire a decoy: what Lure created is deleted from the tenant; the decoy leaves Lure',
    access: 'write',
    params: decoyParams,
    response: { status: 204, description: 'Retired' },
    audit: { action: 'decoy.retire', target: (params) => `decoy:${params['id']}` },
    async handle(dependencies, { params }) {
      const id = idParam(params);
      await dependencies.lifecycles.retire(id);
      return { status: 204, auditDetail: `retired decoy ${id}` };
    },
  },
  {
    method: 'POST',
    path: '/decoys/{id}/rotate',
    operationId: 'rotateDecoy',
    summary: 'Rotate a decoy now; the new secret is in this answer only',
    access: 'write',
    params: decoyParams,
    body: schemas.emptyQuery,
    bodyOptional: true,
    response: { status: 200, schema: schemas.decoyChange, description: 'The decoy as rotated, and the lure material to plant now' },
    audit: { action: 'decoy.rotate', target: (params) => `decoy:${params['id']}` },
    async handle(dependencies, { params }) {
      const rotated = await dependencies.lifecycles.rotate(idParam(params), 'caller');
      return { status: 200, body: changeBody(rotated), auditDetail: `rotated; placements rewritten: ${rotated.placementsRewritten.length}` };
    },
  },
  {
    method: 'GET',
    path: '/decoys/{id}/lure',
    operationId: 'getLure',
    summary: 'The lure material of a decoy, without secrets (a honeytoken, which grants nothing, is shown again)',
    access: 'read',
    params: decoyParams,
    response: { status: 200, schema: schemas.lureMaterial, description: 'What to plant, as far as Lure keeps it' },
    async handle(dependencies, { params }) {
      const { decoy, material } = await dependencies.lifecycles.currentMaterial(idParam(params));
      return {
        status: 200,
        body: {
          decoyId: decoy.id,
          kind: decoy.kind,
          ...(material === undefined ? {} : { material: material.text, advice: material.advice }),
          note:
            material !== undefined
              ? 'A honeytoken grants nothing: Lure keeps it so it can be planted again.'
              : 'Lure keeps no copy of passwords or client secrets: rotate the decoy (POST …/rotate) to get new material.',
        },
      };
    },
  },
];

/** What a PATCH changed, in words for the audit trail. */
function changesInWords(before: Decoy, after: Decoy): string {
  const changes: string[] = [];
  if (before.enabled !== after.enabled) changes.push(`enabled: ${before.enabled} → ${after.enabled}`);
  if (before.memo !== after.memo) changes.push('memo changed');
  if (before.rotationIntervalInHours !== after.rotationIntervalInHours)
    changes.push(`rotationIntervalInHours: ${before.rotationIntervalInHours ?? 'none'} → ${after.rotationIntervalInHours ?? 'none'}`);
  return changes.length === 0 ? 'no change' : changes.join('; ');
}
