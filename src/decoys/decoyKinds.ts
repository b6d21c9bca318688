import type { Decoy, DecoyKind } from '../domain/decoys.js';
import type { DecoyIdentifier, DecoyKindModule } from './decoyKind.js';
import { applicationDecoy } from './kinds/applicationDecoy.js';
import { mailItemDecoy } from './kinds/mailItemDecoy.js';
import { tokenDecoy } from './kinds/tokenDecoy.js';
import { userDecoy } from './kinds/userDecoy.js';

/** Every decoy kind, by name. A `Record` so a new kind cannot be forgotten here. */
export const DECOY_KIND_MODULES: { readonly [K in DecoyKind]: DecoyKindModule<K> } = {
  user: userDecoy,
  application: applicationDecoy,
  mailItem: mailItemDecoy,
  token: tokenDecoy,
};

export function identifiersOf(decoy: Decoy): DecoyIdentifier[] {
  return (DECOY_KIND_MODULES[decoy.kind] as DecoyKindModule<typeof decoy.kind>).identifiers(decoy as never);
}

export function mailboxOf(decoy: Decoy): string | undefined {
  return (DECOY_KIND_MODULES[decoy.kind] as DecoyKindModule<typeof decoy.kind>).mailboxOf(decoy as never);
}
