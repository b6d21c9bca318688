/**
 * Time to detect a forged token, and the false alarms it costs, in a seeded week of one tenant's sign-in
 * streams simulated in event time (README "Performance"). The decisions are Lure's own functions: the
 * lateness each sign-in shows behind its streams (`tallyLateness`, counted as the token tracker counts it:
 * the lesser of category and partition lateness for a gating category, the partition's for the others), the grace built on it (`adaptiveGrace`, refreshed every five
 * minutes from the last seven days, with the retraction floor), the coverage a check waits for
 * (`coverageOf`: every gating category and every hub partition), and the resolver's re-timing of a check
 * whose grace grew. What is modelled is only when records arrive.
 *
 * The week (parameters in `WEEK`): four sign-in categories exported to a four-partition hub, each record
 * late by a lognormal delay (interactive: median 2 minutes, p99 10; non-interactive: median 5, p99 30) and,
 * rarely, a straggler of 30 to 90 minutes; one partition that stops for an hour and then delivers its
 * backlog; non-interactive sign-ins that stop for an hour. Every sign-in issues a token used about eight
 * times within the hour (Graph activity or Exchange audit, each with its own delay); uses that arrive before
 * their token's sign-in wait as checks, the rest match at once. Forged uses of tokens nobody issued are
 * planted over the week. TTD is the alert's time (the resolver's minute) less the forged use's arrival.
 */
import { adaptiveGrace, type LatenessTally, mergeLateness, newLatenessTally, tallyLateness } from '../../src/correlation/lateness.js';
import { coverageOf, ISSUING_CATEGORIES } from '../../src/correlation/tokenIssuance.js';
import type { EntraSignInCategory } from '../../src/domain/events.js';
import type { LatenessHistogram, SignInProgress } from '../../src/domain/tokens.js';
import { seeded } from '../helpers/seeded.js';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** No record comes later than this (the stragglers' bound). */
const LONGEST_DELAY = 90 * 60;

interface StreamModel {
  readonly category: EntraSignInCategory;
  readonly perMinute: number;
  readonly medianDelayInMinutes: number;
  readonly p99DelayInMinutes: number;
}

/** The documented parameters of the simulated week. */
export const WEEK = {
  /** A first day builds the lateness history; TTD and false alarms are counted over the seven after it. */
  days: 8,
  streams: [
    { category: 'SignInLogs', perMinute: 15, medianDelayInMinutes: 2, p99DelayInMinutes: 10 },
    { category: 'NonInteractiveUserSignInLogs', perMinute: 90, medianDelayInMinutes: 5, p99DelayInMinutes: 30 },
    { category: 'ServicePrincipalSignInLogs', perMinute: 12, medianDelayInMinutes: 3, p99DelayInMinutes: 12 },
    { category: 'ManagedIdentitySignInLogs', perMinute: 2, medianDelayInMinutes: 5, p99DelayInMinutes: 30 },
  ] satisfies StreamModel[],
  partitions: 4,
  /** A sign-in this often is a straggler, 30 to 90 minutes late. */
  stragglerProbability: 5e-6,
  /** Partition 2 stops for an hour on day 4; non-interactive sign-ins stop for an hour on day 6. */
  partitionOutage: { partition: 2, from: 4 * DAY + 10 * HOUR, hours: 1 },
  categoryStop: { category: 'NonInteractiveUserSignInLogs', from: 6 * DAY + 14 * HOUR, hours: 1 },
  /** Uses per token: 1 + Poisson(7), the first within two minutes of the sign-in, the rest within the hour. */
  extraUsesPerToken: 7,
  useSources: [
    { name: 'graph', share: 0.7, medianDelayInMinutes: 3, p99DelayInMinutes: 12 },
    { name: 'exchange', share: 0.3, medianDelayInMinutes: 10, p99DelayInMinutes: 40 },
  ],
  forgedUses: 700,
  /** Forged tokens' `iat`: up to this long before their use (a forged token is used while it is valid). */
  forgedTokenAgeInMinutes: 55,
} as const;

export interface GracePolicy {
  readonly name: string;
  /** Minutes; `adaptive` uses Lure's defaults. */
  readonly grace: number | 'adaptive';
}

export interface SimulationFigures {
  readonly policy: string;
  readonly forgedUses: number;
  readonly ttdP50InMinutes: number;
  readonly ttdP99InMinutes: number;
  /** False alarms still standing at the end (their issuance never came). */
  readonly standingFalseAlarms: number;
  readonly retractions: number;
  readonly benignUses: number;
  readonly retractionsPer10MillionUses: number;
  readonly graceAtEndInMinutes: { readonly user: number; readonly app: number };
}

/** Lure's defaults (README settings). */
const ADAPTIVE = { configuredGraceInMinutes: 120, minGraceInMinutes: 10, quantile: 0.999, factor: 2, minRecords: 10_000 };
const GATING = new Set<EntraSignInCategory>(['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs']);

/** The week's records, generated once and judged under each policy. */
export interface Week {
  readonly signIns: {
    readonly time: Float64Array;
    readonly arrival: Float64Array;
    readonly stream: Uint8Array;
    readonly partition: Uint8Array;
    /** Indices in arrival order. */
    readonly order: Uint32Array;
  };
  /** Uses that arrive before their token's sign-in (benign) or of tokens nobody issued (forged), in arrival order. */
  readonly checks: {
    readonly iat: Float64Array;
    readonly arrival: Float64Array;
    /** The sign-in that issued the token, or -1 for a forged one. */
    readonly signIn: Int32Array;
    readonly app: Uint8Array;
  };
  /** Benign uses after the first day: the denominator of the retraction rate. */
  readonly benignUses: number;
  readonly end: number;
}

/**
 * How a stream's delay is drawn. `independent`: every record its own lognormal delay, so records overtake
 * one another as much as they are late. `batched`: the delay is the stream's, shared by a minute's export and
 * drifting slowly (its logarithm an AR(1) process, correlation 0.98 a minute), records within a minute
 * overtaking one another by up to a minute. The same marginal delays either way.
 */
export type DelayModel = 'independent' | 'batched';

export function generateWeek(seed: number, model: DelayModel): Week {
  const random = seeded(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const lognormalSeconds = (median: number, p99: number) => median * MINUTE * Math.exp((Math.log(p99 / median) / 2.326) * normal());
  const end = WEEK.days * DAY;
  const minutes = end / MINUTE;
  const total = WEEK.streams.reduce((sum, stream) => sum + stream.perMinute * minutes, 0);
  const time = new Float64Array(total);
  const arrival = new Float64Array(total);
  const stream = new Uint8Array(total);
  const partition = new Uint8Array(total);
  // A stream that stops delivers its backlog once it resumes, first and in order (an Event Hub partition is
  // first in, first out), catching up within ten minutes.
  const held = (at: number, from: number, hours: number) => {
    const resumes = from + hours * HOUR;
    const caughtUp = resumes + 10 * MINUTE;
    return at >= from && at < caughtUp ? resumes + ((at - from) * (caughtUp - resumes)) / (caughtUp - from) : at;
  };
  let index = 0;
  for (const [streamIndex, stream_] of WEEK.streams.entries()) {
    const sigma = Math.log(stream_.p99DelayInMinutes / stream_.medianDelayInMinutes) / 2.326;
    let drift = normal();
    for (let minute = 0; minute < minutes; minute += 1) {
      drift = 0.98 * drift + Math.sqrt(1 - 0.98 ** 2) * normal();
      const shared = stream_.medianDelayInMinutes * MINUTE * Math.exp(sigma * drift);
      for (let n = 0; n < stream_.perMinute; n += 1, index += 1) {
        const t = (minute + random()) * MINUTE;
        const p = Math.floor(random() * WEEK.partitions);
        const delay = model === 'independent' ? lognormalSeconds(stream_.medianDelayInMinutes, stream_.p99DelayInMinutes) : shared + MINUTE * random();
        // The body's tail is cut where the stragglers end.
        let a = t + Math.min(delay, LONGEST_DELAY);
        if (random() < WEEK.stragglerProbability) a = t + (30 + 60 * random()) * MINUTE;
        if (p === WEEK.partitionOutage.partition) a = held(a, WEEK.partitionOutage.from, WEEK.partitionOutage.hours);
        if (stream_.category === WEEK.categoryStop.category) a = held(a, WEEK.categoryStop.from, WEEK.categoryStop.hours);
        time[index] = t;
        arrival[index] = a;
        stream[index] = streamIndex;
        partition[index] = p;
      }
    }
  }
  const order = Uint32Array.from({ length: total }, (_, i) => i).sort((a, b) => arrival[a]! - arrival[b]!);

  const checkIat: number[] = [];
  const checkArrival: number[] = [];
  const checkSignIn: number[] = [];
  const checkApp: number[] = [];
  const useDelay = () => {
    const pick = random();
    const source = pick < WEEK.useSources[0].share ? WEEK.useSources[0] : WEEK.useSources[1];
    return lognormalSeconds(source.medianDelayInMinutes, source.p99DelayInMinutes);
  };
  let benignUses = 0;
  for (let s = 0; s < total; s += 1) {
    const uses = 1 + poisson(random, WEEK.extraUsesPerToken);
    if (time[s]! >= DAY) benignUses += uses;
    for (let u = 0; u < uses; u += 1) {
      const usedAt = time[s]! + (u === 0 ? 120 * random() : HOUR * random());
      const arrives = usedAt + useDelay();
      // One that arrives after its sign-in matches at once; only the others wait to be judged.
      if (arrives >= arrival[s]!) continue;
      checkIat.push(time[s]!);
      checkArrival.push(arrives);
      checkSignIn.push(s);
      checkApp.push(stream[s]! >= 2 ? 1 : 0);
    }
  }
  for (let f = 0; f < WEEK.forgedUses; f += 1) {
    const usedAt = DAY + random() * (end - DAY - 3 * HOUR);
    checkIat.push(usedAt - random() * WEEK.forgedTokenAgeInMinutes * MINUTE);
    checkArrival.push(usedAt + useDelay());
    checkSignIn.push(-1);
    checkApp.push(random() < 0.25 ? 1 : 0);
  }
  const checkOrder = Array.from({ length: checkIat.length }, (_, i) => i).sort((a, b) => checkArrival[a]! - checkArrival[b]!);
  return {
    signIns: { time, arrival, stream, partition, order },
    checks: {
      iat: Float64Array.from(checkOrder, (i) => checkIat[i]!),
      arrival: Float64Array.from(checkOrder, (i) => checkArrival[i]!),
      signIn: Int32Array.from(checkOrder, (i) => checkSignIn[i]!),
      app: Uint8Array.from(checkOrder, (i) => checkApp[i]!),
    },
    benignUses,
    end: end + 3 * HOUR,
  };
}

/** Judges the week's checks minute by minute under one grace policy. */
export function simulate(week: Week, policy: GracePolicy): SimulationFigures {
  const { signIns, checks } = week;
  const categories = WEEK.streams.map((stream) => stream.category);
  const streamNames = [...categories, ...Array.from({ length: WEEK.partitions }, (_, p) => `partition:${p}`)];
  const watermark = new Float64Array(streamNames.length).fill(Number.NEGATIVE_INFINITY);
  const firstSeen = new Float64Array(streamNames.length).fill(Number.NaN);
  // Hourly tallies per stream (as the tracker writes them), merged over seven days when an hour turns.
  const hourly: (LatenessTally | undefined)[][] = streamNames.map(() => []);
  let merged: LatenessHistogram[] = streamNames.map(() => mergeLateness([]));
  // The retraction floors per stream and day (the lateness rows keep them seven days).
  const floors: (number | undefined)[][] = streamNames.map(() => []);
  const graceOf = (app: boolean): number => {
    if (policy.grace !== 'adaptive') return policy.grace;
    const issuing: readonly string[] = ISSUING_CATEGORIES[app ? 'app' : 'user'];
    const streams = streamNames.flatMap((name, index) => (issuing.includes(name) ? [index] : []));
    return Math.max(...streams.map((index) => adaptiveGrace(merged[index], ADAPTIVE).graceInMinutes));
  };
  const remerge = (now: number) => {
    const sinceHour = Math.floor((now - 7 * DAY) / HOUR);
    merged = streamNames.map((_, index) => {
      const histogram = mergeLateness(hourly[index]!.slice(Math.max(0, sinceHour)).filter((tally): tally is LatenessTally => tally !== undefined));
      const floor = Math.max(0, ...floors[index]!.slice(Math.max(0, Math.floor(now / DAY) - 7)).filter((seconds): seconds is number => seconds !== undefined));
      return floor > 0 ? { ...histogram, retractedMaxInSeconds: floor } : histogram;
    });
  };

  // Pending checks per principal type, a min-heap on due time.
  const heaps = [new DueHeap(), new DueHeap()];
  const alerted = new Uint8Array(signIns.time.length);
  // False alarms standing, by when their sign-in arrives.
  const standing = new DueHeap();
  const ttd: number[] = [];
  let retractions = 0;
  let signInCursor = 0;
  let checkCursor = 0;
  let grace = [graceOf(false), graceOf(true)];
  const iso = (seconds: number) => new Date(Date.UTC(2026, 10, 2) + seconds * 1000).toISOString();

  for (let tick = MINUTE; tick <= week.end; tick += MINUTE) {
    // Sign-ins that arrived this minute: their lateness, then the watermarks they move.
    for (; signInCursor < signIns.order.length && signIns.arrival[signIns.order[signInCursor]!]! <= tick; signInCursor += 1) {
      const s = signIns.order[signInCursor]!;
      const t = signIns.time[s]!;
      const c = signIns.stream[s]!;
      const p = categories.length + signIns.partition[s]!;
      const hour = Math.floor(signIns.arrival[s]! / HOUR);
      const partitionLateness = Math.max(0, watermark[p]! - t);
      // As the token tracker counts it: a gating category's sign-in the lesser of the two, a managed identity's its partition's.
      const categoryLateness = GATING.has(categories[c]!) ? Math.min(partitionLateness, Math.max(0, watermark[c]! - t)) : partitionLateness;
      tallyLateness((hourly[p]![hour] ??= newLatenessTally()), partitionLateness);
      tallyLateness((hourly[c]![hour] ??= newLatenessTally()), categoryLateness);
      for (const stream of [c, p]) {
        if (t > watermark[stream]!) watermark[stream] = t;
        if (Number.isNaN(firstSeen[stream]!)) firstSeen[stream] = t;
      }
    }
    // Every instance's lateness rows are read back every five minutes.
    if (tick % (5 * MINUTE) === 0) {
      remerge(tick);
      grace = [graceOf(false), graceOf(true)];
    }
    // Uses that arrived this minute: queued, due with the grace as it is now.
    for (; checkCursor < checks.arrival.length && checks.arrival[checkCursor]! <= tick; checkCursor += 1) {
      const app = checks.app[checkCursor]!;
      heaps[app]!.push(checks.iat[checkCursor]! + grace[app]! * MINUTE, checkCursor);
    }

    // The resolver's run: first the retractions (issuances that came since), then what is due.
    const progress: SignInProgress[] = streamNames.flatMap((name, index) =>
      Number.isNaN(firstSeen[index]!)
        ? []
        : [{ tenantId: 't', category: name as SignInProgress['category'], firstEventTime: iso(firstSeen[index]!), watermark: iso(watermark[index]!) }],
    );
    let retracted = false;
    while (standing.size > 0 && standing.peekDue() <= tick) {
      const s = standing.pop();
      retractions += 1;
      retracted = true;
      const c = signIns.stream[s]!;
      const day = Math.floor(tick / DAY);
      floors[c]![day] = Math.max(floors[c]![day] ?? 0, watermark[c]! - signIns.time[s]!);
    }
    if (retracted) {
      remerge(tick);
      grace = [graceOf(false), graceOf(true)];
    }
    const coverage = coverageOf(progress, GATING, ISSUING_CATEGORIES.user);
    if (coverage === undefined || coverage === 'uncoverable') continue;
    const covered = (Date.parse(coverage.watermark) - Date.UTC(2026, 10, 2)) / 1000;
    for (const app of [0, 1]) {
      const heap = heaps[app]!;
      while (heap.size > 0 && heap.peekDue() <= covered) {
        const index = heap.pop();
        // A grace that grew since the use arrived holds the check back (the resolver re-times it).
        const dueNow = checks.iat[index]! + grace[app]! * MINUTE;
        if (dueNow > covered) {
          heap.push(dueNow, index);
          continue;
        }
        const s = checks.signIn[index]!;
        if (s < 0) ttd.push((tick - checks.arrival[index]!) / MINUTE);
        else if (signIns.arrival[s]! > tick && signIns.time[s]! >= DAY && alerted[s] === 0) {
          alerted[s] = 1;
          standing.push(signIns.arrival[s]!, s);
        }
      }
    }
  }
  return {
    policy: policy.name,
    forgedUses: ttd.length,
    ttdP50InMinutes: percentile(ttd, 50),
    ttdP99InMinutes: percentile(ttd, 99),
    standingFalseAlarms: standing.size,
    retractions,
    benignUses: week.benignUses,
    retractionsPer10MillionUses: (retractions / week.benignUses) * 1e7,
    graceAtEndInMinutes: { user: grace[0]!, app: grace[1]! },
  };
}

/** A min-heap of check indices by due time (seconds). */
class DueHeap {
  private readonly due: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peekDue(): number {
    return this.due[0]!;
  }

  push(due: number, item: number): void {
    let at = this.items.length;
    this.due.push(due);
    this.items.push(item);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.due[parent]! <= due) break;
      this.due[at] = this.due[parent]!;
      this.items[at] = this.items[parent]!;
      at = parent;
    }
    this.due[at] = due;
    this.items[at] = item;
  }

  pop(): number {
    const top = this.items[0]!;
    const lastDue = this.due.pop()!;
    const lastItem = this.items.pop()!;
    const size = this.items.length;
    if (size === 0) return top;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.due[right]! < this.due[left]! ? right : left;
      if (this.due[child]! >= lastDue) break;
      this.due[at] = this.due[child]!;
      this.items[at] = this.items[child]!;
      at = child;
    }
    this.due[at] = lastDue;
    this.items[at] = lastItem;
    return top;
  }
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let product = random(); product > limit; product *= random()) k += 1;
  return k;
}
