import type { JournalEntry } from '../domain/lifecycle.js';

/**
 * How Lure's creations carry the id of the journal entry that made them. The words look like any
 * operations team's, so an attacker who lists a decoy's credentials learns nothing from them.
 */
export function credentialDisplayNameOf(entry: Pick<JournalEntry, 'id' | 'startedAt'>): string {
  return `rotation ${entry.startedAt.slice(0, 10)} ${entry.id}`;
}

/** The journal id a credential's display name or a message's marker carries, if any. */
export function journalIdIn(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /(?:^|\s)([a-z0-9]{10})$/.exec(text)?.[1];
}

/** An application's `uniqueName` (its idempotency key in Graph) for the create journaled as `journalId`. */
export function applicationUniqueNameOf(journalId: string): string {
  return `app-${journalId}`;
}
