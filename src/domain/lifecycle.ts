import type { Decoy, DecoyKind } from './decoys.js';

/**
 * What Lure keeps about a decoy whose life it manages: its generations of secrets or content, where its
 * lure is planted, and when it rotates next. Secrets are never kept: a generation holds a fingerprint and a
 * hint (the first three characters, as Graph shows them). The one exception is a honeytoken, which grants
 * nothing and must be kept to plant again.
 */
export interface DecoyLifecycle {
  readonly decoyId: string;
  readonly kind: DecoyKind;
  /** Lure created the decoy's cloud objects, and deletes them when it retires; otherwise it was registered. */
  readonly createdByLure: boolean;
  /** Oldest first; the last is the current generation. Only the kept generations are listed. */
  readonly generations: readonly DecoyGeneration[];
  readonly placements: readonly Placement[];
  readonly lastRotatedAt?: string;
  /** Interval plus jitter after the last rotation; undefined when the decoy has no rotation interval. */
  readonly nextRotationAt?: string;
  /** The timer found the decoy due but a hand-planted placement needs an admin to rotate and re-plant it. */
  readonly rotationDueSince?: string;
  /** The last rotation that failed, so the admins see it (cleared by a successful one). */
  readonly lastFailure?: { readonly at: string; readonly message: string };
  /** Token decoys: the honeytoken of the current generation. */
  readonly honeytoken?: string;
  /** Token decoys: what each new honeytoken is minted for, and how long it claims to live. */
  readonly honeytokenAudience?: string;
  readonly honeytokenLifetimeInDays?: number;
  /** Mail decoys: what each new message looks like (its body is replaced by a carried decoy's lure material). */
  readonly messageTemplate?: MessageTemplate;
  /** File decoys Lure uploaded: the library and path it rewrites on rotation and deletes on retirement. */
  readonly fileLocation?: FileLocation;
}

export interface FileLocation {
  readonly driveId: string;
  /** The library's URL, which the file's server-relative URL hangs off. */
  readonly libraryUrl: string;
  /** The file's path in the library: `/IT/VPN and service accounts.xlsx`. */
  readonly path: string;
}

export interface MessageTemplate {
  readonly subject: string;
  readonly body: string;
  readonly fromName: string;
  readonly fromAddress: string;
}

export type DecoyGeneration = PasswordGeneration | ClientSecretGeneration | MessageGeneration | HoneytokenGeneration | FileContentGeneration;

interface GenerationBase {
  /** The journal entry that made it (unknown for credentials that existed before Lure managed the decoy). */
  readonly journalId?: string;
  readonly createdAt: string;
}

/** A decoy user's password: only the current one works, so only it is kept. */
export interface PasswordGeneration extends GenerationBase {
  readonly kind: 'password';
  readonly fingerprint: string;
  readonly hint: string;
}

export interface ClientSecretGeneration extends GenerationBase {
  readonly kind: 'clientSecret';
  readonly keyId: string;
  readonly fingerprint?: string;
  readonly hint?: string;
  readonly endDateTime?: string;
}

export interface MessageGeneration extends GenerationBase {
  readonly kind: 'message';
  /** The REST id Graph returned (used to delete it). */
  readonly messageId: string;
  readonly internetMessageId?: string;
  /** The item's id in the forms the audit log and other APIs may write (`translateExchangeIds`). */
  readonly restImmutableEntryId?: string;
  readonly otherItemIds: readonly string[];
}

export interface HoneytokenGeneration extends GenerationBase {
  readonly kind: 'honeytoken';
  readonly jti: string;
  readonly expiresAt: string;
}

/**
 * A decoy file's content: rotation writes new content into the same item, so its URL and ids stay, and a
 * link an intruder found still leads to the lure. SharePoint keeps the replaced content as older versions.
 */
export interface FileContentGeneration extends GenerationBase {
  readonly kind: 'fileContent';
  readonly itemId: string;
  /** Graph's `cTag` after the write: which content this generation is. */
  readonly contentTag?: string;
}

/**
 * Where a decoy's lure material is planted. A managed placement (a decoy message or file Lure writes) is rewritten
 * in the same rotation; a manual one was planted by hand, so the timer only marks the decoy due.
 */
export type Placement = ManagedPlacement | { readonly kind: 'manual'; readonly description: string };

/** A decoy Lure writes the lure material into: a decoy message, or a decoy file. */
export interface ManagedPlacement {
  readonly kind: 'mailItem' | 'file';
  readonly decoyId: string;
}

export const JOURNAL_STEPS = ['intent', 'cloudDone', 'registryUpdated', 'finished'] as const;
export type JournalStep = (typeof JOURNAL_STEPS)[number];

/**
 * One lifecycle operation, written before each step so a crash at any point can be finished or undone.
 * Never holds a secret (fingerprints only).
 */
export interface JournalEntry {
  /** Ten lower-case letters and digits: it is the marker Lure's cloud objects carry. */
  readonly id: string;
  readonly decoyId: string;
  readonly kind: DecoyKind;
  /** `sweep`: Lure removing its own leftovers from a decoy, journaled so the audit records of it raise nothing. */
  readonly operation: 'create' | 'rotate' | 'retire' | 'sweep';
  readonly step: JournalStep;
  readonly startedAt: string;
  readonly updatedAt: string;
  /**
   * Who needs the new secret: `caller` (an admin who will plant it; if the run dies before they get it,
   * the change is undone) or `placements` (only managed placements, already written when the cloud step is done).
   */
  readonly secretTo: 'caller' | 'placements';
  /** Mail decoys this operation rewrites as managed placements (their messages carry its marker too). */
  readonly placementDecoyIds: readonly string[];
  /** What a create makes, named before it is made so an undo can find it. */
  readonly target?: CreateTarget;
  /** The decoy and its carriers as registered before a rotation: what an undo puts back. */
  readonly before?: readonly RegisteredDecoy[];
  /** What the cloud step made: filled when it is done. */
  readonly made?: MadeChange;
  readonly outcome?: 'completed' | 'rolledBack';
}

/** The names a create chooses before calling Graph (its markers). */
export type CreateTarget =
  | { readonly kind: 'user'; readonly userPrincipalName: string }
  | { readonly kind: 'application'; readonly uniqueName: string }
  | { readonly kind: 'mailItem'; readonly mailbox: string; readonly folderName: string }
  | { readonly kind: 'token' }
  | ({ readonly kind: 'file'; readonly siteUrl: string } & FileLocation);

/** A decoy as the registry holds it: its identifiers and its lifecycle. */
export interface RegisteredDecoy {
  readonly decoy: Decoy;
  readonly lifecycle: DecoyLifecycle;
}

export interface MadeChange {
  /** The decoy as it is to be registered after this change (identifiers of the kept generations). */
  readonly decoy: Decoy;
  readonly lifecycle: DecoyLifecycle;
  /** Managed placements rewritten in the same step (each a decoy message). */
  readonly placements: readonly RegisteredDecoy[];
  /** The new generation of the decoy and of each placement, by decoy id: what an undo removes. */
  readonly generations: readonly { readonly decoyId: string; readonly generation: DecoyGeneration }[];
  /** Generations that fell out of the kept ones (this decoy's and its placements'), to remove from the tenant. */
  readonly dropped: readonly { readonly decoyId: string; readonly generation: DecoyGeneration }[];
}

/** What a create or rotate gives back to its caller: the one time the secret leaves Lure. */
export interface LureMaterial {
  /** Text to plant: a credentials file snippet, a sign-in command, a config entry. */
  readonly text: string;
  /** Where this kind of material is usually found, as advice for whoever plants it. */
  readonly advice: string;
}

/** How Lure manages decoy lifecycles through Microsoft Graph (settings). */
export interface LifecycleSettings {
  /** Graph of the configured cloud (or a test host). */
  readonly graphBaseUrl: string;
  readonly graphTimeoutInSeconds: number;
  /** Domain of the decoy users Lure creates, when a request names none. */
  readonly userDomain?: string;
  /** Job titles and departments decoy users are given, picked at random. */
  readonly jobTitles: readonly { readonly jobTitle: string; readonly department: string }[];
  /** Client-secret generations kept on a decoy app, the current included (2: a lure planted last week still works). */
  readonly keptSecrets: number;
  /** Decoy messages kept per mail decoy, the current included. */
  readonly keptMessages: number;
  readonly secretLifetimeInDays: number;
  /** Rotation waits its interval plus up to this share of it, at random, so rotations do not line up. */
  readonly rotationJitterPercent: number;
  /** Folder (directly under the mailbox root) for decoy messages when a request names none. */
  readonly mailFolderName: string;
  /** Finished journal entries are kept this long: late audit records of Lure's own changes still find them. */
  readonly journalRetentionInDays: number;
}
