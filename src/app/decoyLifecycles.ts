import { randomInt } from 'node:crypto';
import type { Config } from '../config/loadConfig.js';
import type { Decoy, DecoyKind } from '../domain/decoys.js';
import type { DecoyGeneration, DecoyLifecycle, JournalEntry, JournalStep, LureMaterial, MadeChange, Placement } from '../domain/lifecycle.js';
import type { CreateRequestBase, DecoyKindModule, KindLifecycle, LifecycleContext } from '../decoys/decoyKind.js';
import { DECOY_KIND_MODULES } from '../decoys/decoyKinds.js';
import { keepNewest, nextRotationAt, rotationPlanOf } from '../decoys/rotationPolicy.js';
import { newJournalId } from '../decoys/secrets.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../ports/directory.js';
import type { Logger } from '../ports/logger.js';
import type { StateStore } from '../ports/stateStore.js';

export interface DecoyLifecyclesDeps {
  readonly store: StateStore;
  /** The tenant's directory; undefined when Lure has no Graph access (then only honeytokens can be managed). */
  readonly directory: Directory | undefined;
  readonly clock: Clock;
  readonly settings: Config['lifecycle'];
  readonly tenantId?: string;
  readonly logger: Logger;
  /** Tells the decoy registry its cache is stale. */
  readonly decoysChanged: () => void;
}

/** What a create or a rotation hands its caller: the decoy as registered, and the lure to plant (once). */
export interface LifecycleResult {
  readonly decoy: Decoy;
  readonly material?: LureMaterial;
  /** Decoy messages rewritten with the new lure material. */
  readonly placementsRewritten: readonly string[];
}

export interface ReconcileReport {
  /** Unfinished operations carried to their end. */
  readonly finished: number;
  /** Unfinished operations undone (the decoy keeps its previous generation). */
  readonly rolledBack: number;
  /** Leftovers removed from the tenant (credentials or messages no kept generation owns). */
  readonly swept: number;
  readonly failures: readonly string[];
}

export interface RotationReport extends ReconcileReport {
  readonly rotated: number;
  /** Decoys planted by hand whose rotation is due: the admins must rotate and re-plant them. */
  readonly markedDue: readonly { readonly decoy: Decoy; readonly lifecycle: DecoyLifecycle }[];
}

/** Any create request; each kind validates its own. */
type AnyCreateRequest = CreateRequestBase & { readonly kind: DecoyKind };

/** A failed rotation is tried again by the timer after this long, not at every tick. */
const RETRY_AFTER_FAILURE_IN_HOURS = 1;

/**
 * Decoy lifecycles in the tenant: create, rotate, retire, and the timer's reconciliation. Every operation
 * writes a journal entry before each step (intent → cloudDone → registryUpdated → finished); whatever a crash
 * interrupts, `reconcile` finishes (when nothing is lost by it) or undoes (when the new secret died with the
 * process), and a sweep removes what carries Lure's marker but belongs to no kept generation. Secrets live
 * only in memory, from Graph's answer to the caller or to the decoy message that carries them.
 */
export class DecoyLifecycles {
  constructor(private readonly deps: DecoyLifecyclesDeps) {}

  /** Creates a decoy in the tenant and registers it. The secret comes back once, in the lure material. */
  async create(input: unknown): Promise<LifecycleResult> {
    const request = parseCreateRequest(input);
    if ((await this.deps.store.getDecoy(request.id)) !== undefined) throw new RangeError(`id: a decoy with id ${request.id} already exists`);
    await this.assertNothingUnfinished(request.id);
    await this.assertPlacementsUsable(request.placements, request.id);
    const module = moduleOf(request.kind);
    const context = this.context(module.kind);
    const id = newJournalId();
    const target = await module.lifecycle.targetOf(request, id, context);
    let entry = await this.begin({ id, decoyId: request.id, kind: request.kind, operation: 'create', secretTo: 'caller', placementDecoyIds: placementDecoyIdsOf(request.placements), target });

    const created = await module.lifecycle.create(request, target, entry, context);
    const lifecycle: DecoyLifecycle = {
      decoyId: request.id,
      kind: request.kind,
      createdByLure: true,
      generations: [created.generation],
      placements: request.placements,
      lastRotatedAt: context.now.toISOString(),
      ...this.nextRotationOf(created.decoy, context.now),
      ...created.lifecycleExtras,
      ...(created.honeytoken === undefined ? {} : { honeytoken: created.honeytoken }),
    };
    const material = module.lifecycle.material(created.decoy as never, created.secret ?? created.honeytoken, context);
    const placements = await this.rewritePlacements(request.placements, material, entry);
    entry = await this.step(entry, 'cloudDone', { decoy: created.decoy, lifecycle, placements: placements.rewritten, dropped: placements.dropped });
    await this.finish(entry);
    return { decoy: created.decoy, ...(material === undefined ? {} : { material }), placementsRewritten: placements.rewritten.map((placement) => placement.decoy.id) };
  }

  /**
   * Rotates a decoy now: a new generation in the tenant, its managed placements rewritten, generations beyond
   * the kept ones removed. `secretTo: 'caller'` returns the lure material (an admin rotating by hand).
   */
  async rotate(decoyId: string, secretTo: JournalEntry['secretTo'] = 'caller'): Promise<LifecycleResult> {
    const { decoy, lifecycle } = await this.managed(decoyId);
    await this.assertNothingUnfinished(decoyId);
    const module = moduleOf(decoy.kind);
    const context = this.context(decoy.kind);
    let entry = await this.begin({ id: newJournalId(), decoyId, kind: decoy.kind, operation: 'rotate', secretTo, placementDecoyIds: placementDecoyIdsOf(lifecycle.placements) });

    const made = await module.lifecycle.rotate(decoy as never, lifecycle, entry, context);
    const { kept, dropped } = keepNewest(lifecycle.generations, made.generation, module.lifecycle.keptGenerations(this.deps.settings));
    const rotated = module.lifecycle.registered(decoy as never, kept) as Decoy;
    // A new schedule from now (none without an interval), no notice pending, no failure standing.
    const { rotationDueSince: _due, lastFailure: _failure, nextRotationAt: _next, ...rest } = lifecycle;
    const nextLifecycle: DecoyLifecycle = {
      ...rest,
      generations: kept,
      lastRotatedAt: context.now.toISOString(),
      ...this.nextRotationOf(decoy, context.now),
      ...(made.honeytoken === undefined ? {} : { honeytoken: made.honeytoken }),
    };
    const material = module.lifecycle.material(rotated as never, made.secret ?? made.honeytoken, context);
    const placements = await this.rewritePlacements(lifecycle.placements, material, entry);
    entry = await this.step(entry, 'cloudDone', {
      decoy: rotated,
      lifecycle: nextLifecycle,
      placements: placements.rewritten,
      dropped: [...dropped.map((generation) => ({ decoyId, generation })), ...placements.dropped],
    });
    await this.finish(entry);
    return {
      decoy: rotated,
      ...(material === undefined || secretTo !== 'caller' ? {} : { material }),
      placementsRewritten: placements.rewritten.map((placement) => placement.decoy.id),
    };
  }

  /** Removes a decoy from the tenant (what Lure created is deleted; a registered object keeps all but Lure's secrets) and from the registry. */
  async retire(decoyId: string): Promise<void> {
    const decoy = (await this.deps.store.getDecoy(decoyId))?.value;
    if (decoy === undefined) throw new RangeError(`decoy ${decoyId} does not exist`);
    const carriers = (await this.deps.store.listDecoyLifecycles()).filter((lifecycle) => lifecycle.placements.some((placement) => placement.kind === 'mailItem' && placement.decoyId === decoyId));
    if (carriers.length > 0) throw new RangeError(`decoy ${decoyId} carries the lure of ${carriers.map((carrier) => carrier.decoyId).join(', ')}: retire those first`);
    await this.assertNothingUnfinished(decoyId);
    const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
    let entry = await this.begin({ id: newJournalId(), decoyId, kind: decoy.kind, operation: 'retire', secretTo: 'caller', placementDecoyIds: [] });
    if (lifecycle !== undefined) await moduleOf(decoy.kind).lifecycle.retire(decoy as never, lifecycle, this.context(decoy.kind));
    entry = await this.step(entry, 'cloudDone');
    await this.finish(entry);
  }

  /**
   * Carries every unfinished operation to its end or undoes it, then sweeps the managed decoys for Lure's
   * leftovers. The rotation timer runs it first; runs never overlap (timers are singletons).
   */
  async reconcile(): Promise<ReconcileReport> {
    const failures: string[] = [];
    let finished = 0;
    let rolledBack = 0;
    const entries = await this.deps.store.listJournalEntries(this.journalHorizon());
    const unfinished = entries.filter((entry) => entry.step !== 'finished').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const stillUnfinished = new Set<string>();
    for (const entry of unfinished) {
      try {
        if ((await this.recover(entry)) === 'completed') finished += 1;
        else rolledBack += 1;
      } catch (error) {
        for (const decoyId of [entry.decoyId, ...entry.placementDecoyIds]) stillUnfinished.add(decoyId);
        failures.push(`${entry.operation} ${entry.decoyId} (journal ${entry.id}): ${messageOf(error)}`);
      }
    }
    const swept = await this.sweep(stillUnfinished, failures);
    return { finished, rolledBack, swept, failures };
  }

  /**
   * The timer's run: reconcile, then rotate what is due (one decoy's failure stops no other). A decoy planted
   * by hand is only marked due, after `onDue` (which raises the notice) succeeded, so a crash loses no notice.
   */
  async rotateDue(onDue: (decoy: Decoy, lifecycle: DecoyLifecycle) => Promise<void> = async () => {}): Promise<RotationReport> {
    const reconciled = await this.reconcile();
    const failures = [...reconciled.failures];
    const now = this.deps.clock.now();
    const decoys = new Map((await this.deps.store.listDecoys()).map((decoy) => [decoy.id, decoy]));
    const lifecycles = await this.adoptRegisteredDecoys(decoys, await this.deps.store.listDecoyLifecycles());
    const carried = new Set(lifecycles.flatMap((lifecycle) => lifecycle.placements.flatMap((placement) => (placement.kind === 'mailItem' ? [placement.decoyId] : []))));
    let rotated = 0;
    const markedDue: { decoy: Decoy; lifecycle: DecoyLifecycle }[] = [];
    for (const lifecycle of lifecycles) {
      const decoy = decoys.get(lifecycle.decoyId);
      if (decoy === undefined) continue;
      const plan = rotationPlanOf(decoy, lifecycle, moduleOf(decoy.kind).lifecycle.makesSecret, now, carried.has(decoy.id));
      try {
        if (plan === 'markDue') {
          const due = { ...lifecycle, rotationDueSince: now.toISOString() };
          await onDue(decoy, due);
          await this.deps.store.upsertDecoyLifecycle(due);
          markedDue.push({ decoy, lifecycle: due });
        } else if (plan === 'rotate') {
          await this.rotate(decoy.id, 'placements');
          rotated += 1;
        }
      } catch (error) {
        failures.push(`${plan} ${decoy.id}: ${messageOf(error)}`);
        if (plan === 'rotate') await this.recordFailure(decoy.id, error);
      }
    }
    return { ...reconciled, failures, rotated, markedDue };
  }

  /**
   * Registered decoys with a rotation interval get a lifecycle when the timer first sees them: their clock
   * starts then (Lure cannot know when they were last rotated).
   */
  private async adoptRegisteredDecoys(decoys: ReadonlyMap<string, Decoy>, lifecycles: readonly DecoyLifecycle[]): Promise<DecoyLifecycle[]> {
    const known = new Set(lifecycles.map((lifecycle) => lifecycle.decoyId));
    const adopted: DecoyLifecycle[] = [];
    for (const decoy of decoys.values()) {
      if (known.has(decoy.id) || decoy.rotationIntervalInHours === undefined) continue;
      const lifecycle = { ...adoptedLifecycleOf(decoy, this.deps.clock.now()), ...this.nextRotationOf(decoy, this.deps.clock.now()) };
      await this.deps.store.upsertDecoyLifecycle(lifecycle);
      adopted.push(lifecycle);
    }
    return [...lifecycles, ...adopted];
  }

  /** Finishes or undoes one interrupted operation. */
  private async recover(entry: JournalEntry): Promise<'completed' | 'rolledBack'> {
    if (entry.operation === 'retire') {
      if (entry.step === 'intent') {
        const decoy = (await this.deps.store.getDecoy(entry.decoyId))?.value;
        const lifecycle = await this.deps.store.getDecoyLifecycle(entry.decoyId);
        if (decoy !== undefined && lifecycle !== undefined) await moduleOf(decoy.kind).lifecycle.retire(decoy as never, lifecycle, this.context(decoy.kind));
        entry = await this.step(entry, 'cloudDone');
      }
      await this.finish(entry);
      return 'completed';
    }
    if (entry.step === 'registryUpdated') {
      await this.finish(entry);
      return 'completed';
    }
    // Once the cloud step is done its result can be registered, unless the secret had to reach a caller who
    // never got it: then nobody holds the new secret, and it is undone like an interrupted cloud step.
    if (entry.step === 'cloudDone' && (entry.secretTo === 'placements' || !moduleOf(entry.kind).lifecycle.makesSecret)) {
      await this.finish(entry);
      return 'completed';
    }
    await this.rollBack(entry);
    return 'rolledBack';
  }

  /** Undoes an operation interrupted before its result could be registered. */
  private async rollBack(entry: JournalEntry): Promise<void> {
    const module = moduleOf(entry.kind);
    const context = this.context(entry.kind);
    const ownMarker = (journalId: string) => journalId === entry.id;
    if (entry.operation === 'create' && entry.target !== undefined) {
      await module.lifecycle.undoCreate(entry.target, entry, context);
    } else {
      const current = await this.managedOrUndefined(entry.decoyId);
      if (current !== undefined) {
        const made = entry.made?.lifecycle.generations.at(-1);
        if (made !== undefined && !current.lifecycle.generations.some((generation) => sameGeneration(generation, made))) {
          await module.lifecycle.removeGeneration(current.decoy as never, made, context);
        }
        await module.lifecycle.sweep(current.decoy as never, current.lifecycle, ownMarker, context);
        // The decoy keeps its previous generation and is due again. (A user's reset password cannot be put back:
        // the planted one no longer works, and sign-in attempts with it still raise decoy.user.signIn.)
        await this.deps.store.upsertDecoyLifecycle({ ...current.lifecycle, nextRotationAt: context.now.toISOString() });
      }
    }
    for (const placementId of entry.placementDecoyIds) {
      const placement = await this.managedOrUndefined(placementId);
      if (placement !== undefined) await moduleOf(placement.decoy.kind).lifecycle.sweep(placement.decoy as never, placement.lifecycle, ownMarker, this.context(placement.decoy.kind));
    }
    await this.step(entry, 'finished', undefined, 'rolledBack');
  }

  /** Registers what the cloud step made (or deletes a retired decoy), then removes the dropped generations. */
  private async finish(entry: JournalEntry): Promise<void> {
    if (entry.step === 'cloudDone') {
      const made = entry.made;
      if (entry.operation === 'retire') {
        await this.deps.store.deleteDecoyLifecycle(entry.decoyId);
        await this.deps.store.deleteDecoy(entry.decoyId);
      } else if (made !== undefined) {
        for (const { decoy, lifecycle } of [{ decoy: made.decoy, lifecycle: made.lifecycle }, ...made.placements]) {
          await this.deps.store.upsertDecoy(decoy);
          await this.deps.store.upsertDecoyLifecycle(lifecycle);
        }
      }
      this.deps.decoysChanged();
      entry = await this.step(entry, 'registryUpdated');
    }
    if (entry.step === 'registryUpdated') {
      const made = entry.made;
      for (const { decoyId, generation } of made?.dropped ?? []) {
        const decoy = decoyId === made!.decoy.id ? made!.decoy : made!.placements.find((placement) => placement.decoy.id === decoyId)?.decoy;
        if (decoy !== undefined) await moduleOf(decoy.kind).lifecycle.removeGeneration(decoy as never, generation, this.context(decoy.kind));
      }
      await this.step(entry, 'finished', undefined, 'completed');
    }
  }

  /** Writes a new generation of each managed placement (a decoy message) carrying the new lure material. */
  private async rewritePlacements(
    placements: readonly Placement[],
    material: LureMaterial | undefined,
    entry: JournalEntry,
  ): Promise<{ rewritten: MadeChange['placements'][number][]; dropped: MadeChange['dropped'][number][] }> {
    const rewritten: MadeChange['placements'][number][] = [];
    const dropped: MadeChange['dropped'][number][] = [];
    if (material === undefined) return { rewritten, dropped };
    for (const placement of placements) {
      if (placement.kind !== 'mailItem') continue;
      const { decoy, lifecycle } = await this.managed(placement.decoyId);
      if (decoy.kind !== 'mailItem') throw new RangeError(`placement ${placement.decoyId} is not a mail decoy`);
      const mail = DECOY_KIND_MODULES.mailItem.lifecycle;
      const made = await mail.rotate(decoy, lifecycle, entry, this.context('mailItem'), material.text);
      const { kept, dropped: fell } = keepNewest(lifecycle.generations, made.generation, mail.keptGenerations(this.deps.settings));
      rewritten.push({ decoy: mail.registered(decoy, kept), lifecycle: { ...lifecycle, generations: kept, lastRotatedAt: this.deps.clock.now().toISOString() } });
      dropped.push(...fell.map((generation) => ({ decoyId: decoy.id, generation })));
    }
    return { rewritten, dropped };
  }

  /** Removes Lure's leftovers from every managed decoy not caught in an unfinished operation. */
  private async sweep(skip: ReadonlySet<string>, failures: string[]): Promise<number> {
    const entries = await this.deps.store.listJournalEntries(this.journalHorizon());
    const ownersByDecoy = new Map<string, Set<string>>();
    for (const entry of entries) {
      for (const decoyId of [entry.decoyId, ...entry.placementDecoyIds]) {
        let owned = ownersByDecoy.get(decoyId);
        if (owned === undefined) ownersByDecoy.set(decoyId, (owned = new Set()));
        owned.add(entry.id);
      }
    }
    let swept = 0;
    for (const lifecycle of await this.deps.store.listDecoyLifecycles()) {
      const owned = ownersByDecoy.get(lifecycle.decoyId);
      if (skip.has(lifecycle.decoyId) || owned === undefined) continue;
      const decoy = (await this.deps.store.getDecoy(lifecycle.decoyId))?.value;
      if (decoy === undefined || (this.deps.directory === undefined && decoy.kind !== 'token')) continue;
      try {
        swept += await moduleOf(decoy.kind).lifecycle.sweep(decoy as never, lifecycle, (journalId) => owned.has(journalId), this.context(decoy.kind));
      } catch (error) {
        failures.push(`sweep ${decoy.id}: ${messageOf(error)}`);
      }
    }
    return swept;
  }

  private async begin(fields: Omit<JournalEntry, 'step' | 'startedAt' | 'updatedAt'>): Promise<JournalEntry> {
    const now = this.deps.clock.now().toISOString();
    const entry: JournalEntry = { ...fields, step: 'intent', startedAt: now, updatedAt: now };
    await this.deps.store.upsertJournalEntry(entry);
    return entry;
  }

  private async step(entry: JournalEntry, step: JournalStep, made?: MadeChange, outcome?: JournalEntry['outcome']): Promise<JournalEntry> {
    const next: JournalEntry = {
      ...entry,
      step,
      updatedAt: this.deps.clock.now().toISOString(),
      ...(made === undefined ? {} : { made }),
      ...(outcome === undefined ? {} : { outcome }),
    };
    await this.deps.store.upsertJournalEntry(next);
    return next;
  }

  private context(kind: DecoyKind): LifecycleContext {
    const directory = this.deps.directory;
    return {
      // Honeytokens live nowhere in the tenant; every other kind needs Graph.
      directory: directory ?? (kind === 'token' ? NO_DIRECTORY : refuseWithoutDirectory()),
      now: this.deps.clock.now(),
      settings: this.deps.settings,
      ...(this.deps.tenantId === undefined ? {} : { tenantId: this.deps.tenantId }),
    };
  }

  private nextRotationOf(decoy: Decoy, now: Date): { nextRotationAt?: string } {
    const next = nextRotationAt(now, decoy.rotationIntervalInHours, this.deps.settings.rotationJitterPercent, randomInt(1_000_000) / 1_000_000);
    return next === undefined ? {} : { nextRotationAt: next };
  }

  private journalHorizon(): string {
    return new Date(this.deps.clock.now().getTime() - this.deps.settings.journalRetentionInDays * 86_400_000).toISOString();
  }

  private async managed(decoyId: string): Promise<{ decoy: Decoy; lifecycle: DecoyLifecycle }> {
    const managed = await this.managedOrUndefined(decoyId);
    if (managed === undefined) throw new RangeError(`decoy ${decoyId} does not exist`);
    return managed;
  }

  /** A decoy and its lifecycle; a registered decoy Lure has not managed yet gets one from what it registered. */
  private async managedOrUndefined(decoyId: string): Promise<{ decoy: Decoy; lifecycle: DecoyLifecycle } | undefined> {
    const decoy = (await this.deps.store.getDecoy(decoyId))?.value;
    if (decoy === undefined) return undefined;
    const lifecycle = (await this.deps.store.getDecoyLifecycle(decoyId)) ?? adoptedLifecycleOf(decoy, this.deps.clock.now());
    return { decoy, lifecycle };
  }

  private async assertNothingUnfinished(decoyId: string): Promise<void> {
    const open = (await this.deps.store.listJournalEntries(this.deps.clock.now().toISOString())).filter(
      (entry) => entry.step !== 'finished' && (entry.decoyId === decoyId || entry.placementDecoyIds.includes(decoyId)),
    );
    if (open.length > 0) throw new RangeError(`decoy ${decoyId}: operation ${open[0]!.id} on it is unfinished; the rotateDecoys timer finishes or undoes it first`);
  }

  private async assertPlacementsUsable(placements: readonly Placement[], decoyId: string): Promise<void> {
    const carriers = placementDecoyIdsOf(placements);
    if (carriers.length === 0) return;
    const lifecycles = await this.deps.store.listDecoyLifecycles();
    for (const carrierId of carriers) {
      const lifecycle = lifecycles.find((candidate) => candidate.decoyId === carrierId);
      if (carrierId === decoyId || lifecycle?.kind !== 'mailItem' || lifecycle.messageTemplate === undefined) {
        throw new RangeError(`placements: ${carrierId} must be a mail decoy Lure created`);
      }
      // A carrier keeps one lure: a second decoy's rotation would replace the first one's message.
      const taken = lifecycles.find((other) => other.decoyId !== decoyId && placementDecoyIdsOf(other.placements).includes(carrierId));
      if (taken !== undefined) throw new RangeError(`placements: ${carrierId} already carries the lure of ${taken.decoyId}`);
    }
  }

  private async recordFailure(decoyId: string, error: unknown): Promise<void> {
    const lifecycle = await this.deps.store.getDecoyLifecycle(decoyId);
    if (lifecycle === undefined) return;
    const now = this.deps.clock.now();
    await this.deps.store.upsertDecoyLifecycle({
      ...lifecycle,
      lastFailure: { at: now.toISOString(), message: messageOf(error).slice(0, 500) },
      nextRotationAt: new Date(now.getTime() + RETRY_AFTER_FAILURE_IN_HOURS * 3_600_000).toISOString(),
    });
    this.deps.logger.error('decoy rotation failed', { decoyId, error: messageOf(error) });
  }
}

/** Validates a create request against its kind's schema; a `RangeError` names the field. */
export function parseCreateRequest(input: unknown): AnyCreateRequest {
  const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
  if (typeof kind !== 'string' || !(kind in DECOY_KIND_MODULES)) throw new RangeError(`kind: must be one of ${Object.keys(DECOY_KIND_MODULES).join(', ')}`);
  const parsed = moduleOf(kind as DecoyKind).lifecycle.createSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${issue.path.join('.') || 'request'}: ${issue.message}`);
  }
  return parsed.data as AnyCreateRequest;
}

function moduleOf(kind: DecoyKind): DecoyKindModule<DecoyKind> & { lifecycle: KindLifecycle<DecoyKind, AnyCreateRequest> } {
  return DECOY_KIND_MODULES[kind] as unknown as DecoyKindModule<DecoyKind> & { lifecycle: KindLifecycle<DecoyKind, AnyCreateRequest> };
}

function placementDecoyIdsOf(placements: readonly Placement[]): string[] {
  return placements.flatMap((placement) => (placement.kind === 'mailItem' ? [placement.decoyId] : []));
}

/** A registered decoy's generations, as far as its registration tells (an app's secrets by keyId). */
function adoptedLifecycleOf(decoy: Decoy, now: Date): DecoyLifecycle {
  const createdAt = now.toISOString();
  const generations: DecoyGeneration[] =
    decoy.kind === 'application' ? decoy.credentialKeyIds.map((keyId) => ({ kind: 'clientSecret', keyId, createdAt })) : [];
  return { decoyId: decoy.id, kind: decoy.kind, createdByLure: false, generations, placements: [] };
}

function sameGeneration(a: DecoyGeneration, b: DecoyGeneration): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Honeytokens never call Graph. */
const NO_DIRECTORY = new Proxy({} as Directory, {
  get: () => () => Promise.reject(new Error('honeytoken decoys do not use the directory')),
});

function refuseWithoutDirectory(): never {
  throw new RangeError('Lure has no Graph access: set LURE_TENANT_ID (and grant the permissions in the README) to manage decoys in the tenant');
}

