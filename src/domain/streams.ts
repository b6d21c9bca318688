import { type EventSource, SIGN_IN_CATEGORIES } from './events.js';

/**
 * A stream Lure knows: a source (`entra`, `exchange`, `defender`, `token`) or an Entra category
 * (`SignInLogs`, `MicrosoftGraphActivityLogs`, …). It exists once it has delivered, or once Lure was told to
 * expect it (`LURE_EXPECTED_SOURCES`).
 */
export interface StreamState {
  /** `source:entra`, `category:SignInLogs`, … */
  readonly stream: string;
  readonly source: EventSource;
  /** Wall-clock time records last arrived (not their event time: a stalled stream has no new event time); absent until the first. */
  readonly lastArrivalAt?: string;
  /** When Lure first checked for this stream while told to expect it: the first-delivery grace counts from here. */
  readonly expectedSince?: string;
  /** The latest event time the stream's last written arrival carried (records may arrive out of order). */
  readonly lastEventAt?: string;
  /** The open `source.silent` alert, while the stream is silent. */
  readonly silentAlertId?: string;
}

/** One writer's running totals for an origin (an Event Hub, or a file) over a ten-minute bucket. */
export interface StreamCount {
  /** Where records came from: `entra`, `exchange`, `token`, or a file name. */
  readonly origin: string;
  /** The ISO time the ten-minute bucket starts at. */
  readonly bucket: string;
  /** Records read. */
  readonly records: number;
  readonly deadLettered: number;
  /** The latest event time among them. */
  readonly lastEventAt?: string;
}

/** What a batch tells of a stream: it delivered, now, with events up to `lastEventAt`. */
export type StreamArrival = Pick<StreamState, 'stream' | 'source' | 'lastEventAt'> & { readonly lastArrivalAt: string };

/** `stopped`: delivered, then nothing for longer than its threshold; `neverDelivered`: expected, and no first record within the grace. */
export type StreamSilence = 'stopped' | 'neverDelivered';

/** That Lure expects a stream, since when. */
export type StreamExpectation = Pick<StreamState, 'stream' | 'source'> & { readonly expectedSince: string };

/** The sources Lure reads, each a stream of its own. */
export const EVENT_SOURCES: readonly EventSource[] = ['entra', 'exchange', 'defender', 'token'];

/** The Entra diagnostic-setting categories Lure reads, each a stream of its own. */
export const ENTRA_CATEGORIES = [...SIGN_IN_CATEGORIES, 'AuditLogs', 'MicrosoftGraphActivityLogs'] as const;

/** The stream a name of `LURE_EXPECTED_SOURCES` stands for (a source, else an Entra category), or undefined for neither. */
export function streamNamed(name: string): Pick<StreamState, 'stream' | 'source'> | undefined {
  const source = EVENT_SOURCES.find((candidate) => candidate === name);
  if (source !== undefined) return { stream: `source:${source}`, source };
  return (ENTRA_CATEGORIES as readonly string[]).includes(name) ? { stream: `category:${name}`, source: 'entra' } : undefined;
}

/** A stream's name as admins write it: `SignInLogs`, `exchange`. */
export function nameOfStream(stream: string): string {
  return stream.replace(/^(source|category):/, '');
}

/** Which Event Hubs consumer group reads a hub: the scope of partition ownership and checkpoints. */
export interface HubScope {
  readonly namespace: string;
  readonly hub: string;
  readonly consumerGroup: string;
}

/** Which consumer owns a partition (the local host's consumers, when Lure runs outside Functions). */
export interface HubPartitionOwnership extends HubScope {
  readonly partitionId: string;
  readonly ownerId: string;
  readonly lastModifiedTimeInMs: number;
}

/** How far a consumer has read a partition: where a restart resumes, so nothing is ingested twice. */
export interface HubCheckpoint extends HubScope {
  readonly partitionId: string;
  readonly sequenceNumber: number;
  readonly offset: string;
}

/** The ten-minute bucket a time falls in, as the ISO time it starts at. */
export function countBucketOf(time: string): string {
  return `${time.slice(0, 15)}0:00.000Z`;
}

/** The three Event Hubs Lure reads. */
export const HUB_NAMES = ['entra', 'exchange', 'token'] as const;
export type HubName = (typeof HUB_NAMES)[number];

/** Where a batch came from, as logs, dead letters and stream counts name it. */
export function hubOriginOf(hub: HubName, partitionId: string | undefined): string {
  return partitionId === undefined ? hub : `${hub} partition ${partitionId}`;
}

/** The hub an origin names (`entra`, `entra partition 3`); undefined for files and other origins. */
export function hubOfOrigin(origin: string): HubName | undefined {
  return HUB_NAMES.find((name) => origin === name || origin.startsWith(`${name} partition `));
}

/**
 * The partition whose progress a batch moves, if any: only the Entra hub's partitions carry sign-ins, so only
 * they show how far the sign-in streams have come.
 */
export function signInPartitionOf(hub: HubName, partitionId: string | undefined): string | undefined {
  return hub === 'entra' ? partitionId : undefined;
}
