import type { Decoy, DecoyKind, DecoyOfKind } from '../domain/decoys.js';
import { identifiersOf, mailboxOf } from './decoyKinds.js';
import { canonicalIdentifier, canonicalMailbox, type IdentifierSpace } from './identifierSpaces.js';
import type { SelfChangeWindow } from './rotationPolicy.js';

/** Which kind of decoy each identifier space belongs to. */
type SpaceKind = {
  userPrincipalName: 'user';
  userObjectId: 'user';
  appId: 'application';
  servicePrincipalId: 'application';
  applicationObjectId: 'application';
  internetMessageId: 'mailItem';
  mailItemId: 'mailItem';
  dedicatedFolderId: 'mailItem';
  tokenKid: 'token';
  tokenJti: 'token';
  fileUniqueId: 'file';
  fileUrl: 'file';
  driveItemId: 'file';
};

/**
 * Every decoy identifier in one hash map per identifier space, so a lookup per event costs O(1) whatever
 * the number of decoys. Built once per refresh of the registry; immutable.
 */
export class DecoyIndex {
  private readonly bySpace = new Map<IdentifierSpace, Map<string, Decoy>>();
  private readonly byMailbox = new Map<string, Decoy[]>();
  readonly size: number;

  /**
   * `selfChanges`: when Lure itself changed each decoy (from its rotation journal), so its own changes are
   * told from a change by its identity that it never journaled.
   */
  constructor(
    readonly decoys: readonly Decoy[],
    private readonly selfChanges: ReadonlyMap<string, readonly SelfChangeWindow[]> = new Map(),
  ) {
    this.size = decoys.length;
    for (const decoy of decoys) {
      for (const { space, value } of identifiersOf(decoy)) {
        let entries = this.bySpace.get(space);
        if (entries === undefined) this.bySpace.set(space, (entries = new Map<string, Decoy>()));
        entries.set(canonicalIdentifier(space, value), decoy);
      }
      const mailbox = mailboxOf(decoy);
      if (mailbox !== undefined) {
        const key = canonicalMailbox(mailbox);
        this.byMailbox.set(key, [...(this.byMailbox.get(key) ?? []), decoy]);
      }
    }
  }

  /** Whether Lure's journal says it was changing this decoy at `time` (an event time, ISO). */
  changedByLureAt(decoyId: string, time: string): boolean {
    const at = Date.parse(time);
    return (this.selfChanges.get(decoyId) ?? []).some((window) => Date.parse(window.from) <= at && at <= Date.parse(window.to));
  }

  /** The decoy owning `value` in `space`, if any. */
  find<S extends IdentifierSpace>(space: S, value: string | undefined): DecoyOfKind<SpaceKind[S]> | undefined {
    if (value === undefined) return undefined;
    return this.bySpace.get(space)?.get(canonicalIdentifier(space, value)) as DecoyOfKind<SpaceKind[S]> | undefined;
  }

  /** The first decoy found for any of the (space, value) pairs, in the order given. */
  findAny<K extends DecoyKind>(candidates: readonly (readonly [IdentifierSpace, string | undefined])[]): DecoyOfKind<K> | undefined {
    for (const [space, value] of candidates) {
      const decoy = this.find(space, value);
      if (decoy !== undefined) return decoy as DecoyOfKind<K>;
    }
    return undefined;
  }

  /** Decoys living in this mailbox: a decoy user's own mailbox, or the mailbox holding decoy messages. */
  inMailbox(mailbox: string | undefined): readonly Decoy[] {
    if (mailbox === undefined) return [];
    return this.byMailbox.get(canonicalMailbox(mailbox)) ?? [];
  }
}
