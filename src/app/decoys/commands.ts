import type { Decoy, DecoyKind } from '../../domain/decoys.js';
import type { DecoyLifecycle, JournalEntry, LureMaterial, MadeChange, Placement, RegisteredDecoy } from '../../domain/lifecycle.js';
import type { AnyCreateRequest, CreateRequestOfKind, DecoyKindModule } from '../../decoys/decoyKind.js';
import { DECOY_KIND_MODULES, withKind } from '../../decoys/decoyKinds.js';
import { DecoyValidationError } from '../../decoys/parseDecoys.js';
import { keepNewest } from '../../decoys/rotationPolicy.js';
import { newJournalId } from '../../decoys/secrets.js';
import { ConcurrencyError } from '../../ports/store/versioned.js';
import { lifecycleContext, nextRotationOf } from './context.js';
import { DecoyNotFoundError, LifecycleConflictError } from './errors.js';
import type { OperationJournal } from './journal.js';
import type { OperationRecovery } from './recovery.js';
import { placementDecoyIdsOf, registeredDecoy } from './registeredDecoys.js';
import type { DecoyChanges, DecoyLifecyclesDeps, LifecycleResult, SettleOptions } from './types.js';

/** What admins do to decoys: create, rotate now, configure, show the current lure, retire. */
export class DecoyCommands {
  constructor(
    private readonly deps: DecoyLifecyclesDeps,
    private readonly journal: OperationJournal,
    private readonly recovery: OperationRecovery,
  ) {}

  /** Creates a decoy in the tenant and registers it. The secret comes back once, in the lure material. */
  async create(input: unknown, options: SettleOptions = {}): Promise<LifecycleResult> {
    const request = parseCreateRequest(input);
    if ((await this.deps.store.getDecoy(request.id)) !== undefined) throw new LifecycleConflictError(`id: a decoy with id ${request.id} already exists`);
    const carriers = await this.carriersOf(request.placements, request.id);
    return withKind(request, (module, request) => this.createOfKind(module, request, carriers, options));
  }

  private async createOfKind<K extends DecoyKind>(
    module: DecoyKindModule<K>,
    request: CreateRequestOfKind<K>,
    carriers: readonly RegisteredDecoy[],
    options: SettleOptions,
  ): Promise<LifecycleResult> {
    const context = lifecycleContext(this.deps, module.kind);
    const id = newJournalId();
    const target = await module.lifecycle.targetOf(request, id, context);
    await this.journal.assertNothingUnfinished([request.id, ...carriers.map((carrier) => carrier.decoy.id)], target);
    let operation = await this.journal.begin({
      id,
      decoyId: request.id,
      kind: request.kind,
      operation: 'create',
      secretTo: 'caller',
      placementDecoyIds: carriers.map((carrier) => carrier.decoy.id),
      target,
      before: carriers,
    });
    return this.recovery.settled(operation.entry.id, options, async () => {
      const created = await module.lifecycle.create(request, target, operation.entry, context);
      const lifecycle: DecoyLifecycle = {
        decoyId: request.id,
        kind: request.kind,
        createdByLure: true,
        generations: [created.generation],
        placements: request.placements,
        lastRotatedAt: context.now.toISOString(),
        ...nextRotationOf(this.deps, created.decoy, context.now),
        ...created.lifecycleExtras,
        ...(created.honeytoken === undefined ? {} : { honeytoken: created.honeytoken }),
      };
      const material = module.lifecycle.material(created.decoy, created.secret ?? created.honeytoken, context);
      const placements = await this.rewritePlacements(carriers, material, operation.entry);
      operation = await this.journal.step(operation, 'cloudDone', {
        made: {
          decoy: created.decoy,
          lifecycle,
          placements: placements.rewritten,
          generations: [{ decoyId: request.id, generation: created.generation }, ...placements.generations],
          dropped: placements.dropped,
        },
      });
      await this.recovery.register(operation);
      return {
        decoy: created.decoy,
        ...(material === undefined ? {} : { material }),
        placementsRewritten: placements.rewritten.map((placement) => placement.decoy.id),
      };
    });
  }

  /**
   * Rotates a decoy now: a new generation in the tenant, its managed placements rewritten, generations beyond
   * the kept ones removed. `secretTo: 'caller'` returns the lure material (an admin rotating by hand).
   */
  async rotate(decoyId: string, secretTo: JournalEntry['secretTo'] = 'caller', options: SettleOptions = {}): Promise<LifecycleResult> {
    const current = await registeredDecoy(this.deps, decoyId);
    const { decoy, lifecycle } = current;
    // A carrier rotated on its own would be rewritten without the lure it carries: its owner rewrites it.
    const owners = (await this.deps.store.listDecoyLifecycles()).filter((other) => placementDecoyIdsOf(other.placements).includes(decoyId));
    if (owners.length > 0) {
      const names = owners.map((owner) => owner.decoyId).join(', ');
      throw new LifecycleConflictError(`decoy ${decoyId} carries the lure of ${names}: rotate ${names}, which rewrites it`);
    }
    const carriers = await this.carriersOf(lifecycle.placements, decoyId);
    await this.journal.assertNothingUnfinished([decoyId, ...carriers.map((carrier) => carrier.decoy.id)]);
    const context = lifecycleContext(this.deps, decoy.kind);
    let operation = await this.journal.begin({
      id: newJournalId(),
      decoyId,
      kind: decoy.kind,
      operation: 'rotate',
      secretTo,
      placementDecoyIds: carriers.map((carrier) => carrier.decoy.id),
      before: [current, ...carriers],
    });
    return this.recovery.settled(operation.entry.id, options, async () => {
      const made = await withKind(decoy, (module, decoy) => module.lifecycle.rotate(decoy, lifecycle, operation.entry, context));
      const { kept, dropped } = keepNewest(
        lifecycle.generations,
        made.generation,
        DECOY_KIND_MODULES[decoy.kind].lifecycle.keptGenerations(this.deps.settings),
      );
      const rotated: Decoy = withKind(decoy, (module, decoy) => module.lifecycle.registered(decoy, kept));
      // A new schedule from now (none without an interval), no notice pending, no failure standing.
      const { rotationDueSince: _due, lastFailure: _failure, nextRotationAt: _next, ...rest } = lifecycle;
      const nextLifecycle: DecoyLifecycle = {
        ...rest,
        generations: kept,
        lastRotatedAt: context.now.toISOString(),
        ...nextRotationOf(this.deps, decoy, context.now),
        ...(made.honeytoken === undefined ? {} : { honeytoken: made.honeytoken }),
      };
      const material = withKind(rotated, (module, rotated) => module.lifecycle.material(rotated, made.secret ?? made.honeytoken, context));
      const placements = await this.rewritePlacements(carriers, material, operation.entry);
      operation = await this.journal.step(operation, 'cloudDone', {
        made: {
          decoy: rotated,
          lifecycle: nextLifecycle,
          placements: placements.rewritten,
          generations: [{ decoyId, generation: made.generation }, ...placements.generations],
          dropped: [...dropped.map((generation) => ({ decoyId, generation })), ...placements.dropped],
        },
      });
      await this.recovery.register(operation);
      return {
        decoy: rotated,
        ...(material === undefined || secretTo !== 'caller' ? {} : { material }),
        placementsRewritten: placements.rewritten.map((placement) => placement.decoy.id),
      };
    });
  }

  /**
   * Changes what admins control on a decoy (enabled, memo, rotation interval) at the ETag it was read at;
   * returns the decoy and its new ETag. A new interval reschedules the next rotation from the last one.
   * Throws `ConcurrencyError` when the decoy changed since `etag`.
   */
  async configure(decoyId: string, changes: DecoyChanges, etag: string): Promise<{ readonly decoy: Decoy; readonly etag: string }> {
    const current = await this.deps.store.getDecoy(decoyId);
    if (current === undefined) throw new DecoyNotFoundError(decoyId);
    // Checked here too, not only by the store's conditional write: an ETag of another form must fail the same way.
    if (current.etag !== etag) throw new ConcurrencyError(`decoy ${decoyId} changed since it was read`);
    const { memo: _memo, rotationIntervalInHours: _interval, ...rest } = current.value;
    const memo = changes.memo === undefined ? current.value.memo : (changes.memo ?? undefined);
    const interval = changes.rotationIntervalInHours === undefined ? current.value.rotationIntervalInHours : (changes.rotationIntervalInHours ?? undefined);
    const decoy = {
      ...rest,
      enabled: changes.enabled ?? current.value.enabled,
      ...(memo === undefined ? {} : { memo }),
      ...(interval === undefined ? {} : { rotationIntervalInHours: interval }),
    } as Decoy;
    const rescheduled = changes.rotationIntervalInHours !== undefined && interval !== current.value.rotationIntervalInHours;
    // A new schedule must not land under a rotation in flight, which writes the schedule it computed.
    if (rescheduled) await this.journal.assertNothingUnfinished([decoyId]);
    const nextEtag = await this.deps.store.updateDecoy(decoy, etag);
    if (rescheduled) {
      const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
      if (lifecycle !== undefined) {
        const { nextRotationAt: _next, ...unscheduled } = lifecycle;
        const from = lifecycle.lastRotatedAt === undefined ? this.deps.clock.now() : new Date(lifecycle.lastRotatedAt);
        await this.deps.store.upsertDecoyLifecycle({ ...unscheduled, ...nextRotationOf(this.deps, decoy, from) });
      }
    }
    this.deps.decoysChanged();
    return { decoy, etag: nextEtag };
  }

  /**
   * The lure material a decoy has now, without any secret: only a honeytoken (which grants nothing) is kept
   * and can be shown again; a password or client secret went to whoever created or rotated it.
   */
  async currentMaterial(decoyId: string): Promise<{ readonly decoy: Decoy; readonly material?: LureMaterial }> {
    const { decoy, lifecycle } = await registeredDecoy(this.deps, decoyId);
    const material =
      decoy.kind === 'token' && lifecycle.honeytoken !== undefined
        ? DECOY_KIND_MODULES.token.lifecycle.material(decoy, lifecycle.honeytoken, lifecycleContext(this.deps, 'token'))
        : undefined;
    return { decoy, ...(material === undefined ? {} : { material }) };
  }

  /** Removes a decoy from the tenant (what Lure created is deleted; a registered object keeps all but Lure's secrets) and from the registry. */
  async retire(decoyId: string, options: SettleOptions = {}): Promise<void> {
    const decoy = (await this.deps.store.getDecoy(decoyId))?.value;
    if (decoy === undefined) throw new DecoyNotFoundError(decoyId);
    const carried = (await this.deps.store.listDecoyLifecycles()).filter((lifecycle) => placementDecoyIdsOf(lifecycle.placements).includes(decoyId));
    if (carried.length > 0)
      throw new LifecycleConflictError(`decoy ${decoyId} carries the lure of ${carried.map((lifecycle) => lifecycle.decoyId).join(', ')}: retire those first`);
    await this.journal.assertNothingUnfinished([decoyId]);
    const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
    let operation = await this.journal.begin({ id: newJournalId(), decoyId, kind: decoy.kind, operation: 'retire', secretTo: 'caller', placementDecoyIds: [] });
    return this.recovery.settled(operation.entry.id, options, async () => {
      if (lifecycle !== undefined) {
        const context = lifecycleContext(this.deps, decoy.kind);
        await withKind(decoy, (module, decoy) => module.lifecycle.retire(decoy, lifecycle, context));
      }
      operation = await this.journal.step(operation, 'cloudDone');
      await this.recovery.register(operation);
    });
  }

  /** Writes a new generation of each managed placement (a decoy message or file) carrying the new lure material. */
  private async rewritePlacements(
    carriers: readonly RegisteredDecoy[],
    material: LureMaterial | undefined,
    entry: JournalEntry,
  ): Promise<Pick<MadeChange, 'generations' | 'dropped'> & { rewritten: RegisteredDecoy[] }> {
    const rewritten: RegisteredDecoy[] = [];
    const generations: MadeChange['generations'][number][] = [];
    const dropped: MadeChange['dropped'][number][] = [];
    if (material === undefined) return { rewritten, generations, dropped };
    for (const carrier of carriers) {
      const { lifecycle } = carrier;
      await withKind(carrier.decoy, async (module, decoy) => {
        const made = await module.lifecycle.rotate(decoy, lifecycle, entry, lifecycleContext(this.deps, decoy.kind), material.text);
        const { kept, dropped: fell } = keepNewest(lifecycle.generations, made.generation, module.lifecycle.keptGenerations(this.deps.settings));
        rewritten.push({
          decoy: module.lifecycle.registered(decoy, kept),
          lifecycle: { ...lifecycle, generations: kept, lastRotatedAt: this.deps.clock.now().toISOString() },
        });
        generations.push({ decoyId: decoy.id, generation: made.generation });
        dropped.push(...fell.map((generation) => ({ decoyId: decoy.id, generation })));
      });
    }
    return { rewritten, generations, dropped };
  }

  /** The decoys a decoy's managed placements name, each a mail or file decoy Lure created that carries no other lure. */
  private async carriersOf(placements: readonly Placement[], decoyId: string): Promise<RegisteredDecoy[]> {
    const lifecycles = await this.deps.store.listDecoyLifecycles();
    const carriers: RegisteredDecoy[] = [];
    for (const placement of placements) {
      if (placement.kind === 'manual') continue;
      const carrierId = placement.decoyId;
      const lifecycle = lifecycles.find((candidate) => candidate.decoyId === carrierId);
      const decoy = (await this.deps.store.getDecoy(carrierId))?.value;
      const writable =
        placement.kind === 'mailItem'
          ? lifecycle?.kind === 'mailItem' && lifecycle.messageTemplate !== undefined
          : lifecycle?.kind === 'file' && lifecycle.fileLocation !== undefined;
      if (carrierId === decoyId || decoy === undefined || lifecycle === undefined || !writable) {
        throw new DecoyValidationError(`${carrierId} must be a ${placement.kind === 'mailItem' ? 'mail' : 'file'} decoy Lure created`, 'placements');
      }
      // A carrier keeps one lure: a second decoy's rotation would replace the first one's content.
      const taken = lifecycles.find((other) => other.decoyId !== decoyId && placementDecoyIdsOf(other.placements).includes(carrierId));
      if (taken !== undefined) throw new LifecycleConflictError(`placements: ${carrierId} already carries the lure of ${taken.decoyId}`);
      carriers.push({ decoy, lifecycle });
    }
    return carriers;
  }
}

/** Validates a create request against its kind's schema; a `DecoyValidationError` names the field. */
export function parseCreateRequest(input: unknown): AnyCreateRequest {
  const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !(kind in DECOY_KIND_MODULES))
    throw new DecoyValidationError(`must be one of ${Object.keys(DECOY_KIND_MODULES).join(', ')}`, 'kind');
  const parsed = DECOY_KIND_MODULES[kind as DecoyKind].lifecycle.createSchema.safeParse(input);
  if (!parsed.success) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a failed safeParse always has an issue
    const issue = parsed.error.issues[0]!;
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    throw new DecoyValidationError(message, issue.path.join('.') || 'request');
  }
  return parsed.data;
}
