import type { Decoy, DecoyKind } from '../domain/decoys.js';
import type { AnyCreateRequest, DecoyIdentifier, DecoyKindModule } from './decoyKind.js';
import { applicationDecoy } from './kinds/applicationDecoy.js';
import { fileDecoy } from './kinds/fileDecoy.js';
import { mailItemDecoy } from './kinds/mailItemDecoy.js';
import { tokenDecoy } from './kinds/tokenDecoy.js';
import { userDecoy } from './kinds/userDecoy.js';

/** Every decoy kind, by name. A `Record` so a new kind cannot be forgotten here. */
export const DECOY_KIND_MODULES: { readonly [K in DecoyKind]: DecoyKindModule<K> } = {
  user: userDecoy,
  application: applicationDecoy,
  mailItem: mailItemDecoy,
  token: tokenDecoy,
  file: fileDecoy,
};

/**
 * Hands `use` the module of a decoy's kind (or of a create request's) with the decoy, typed as of that one
 * kind, so the module's methods take the decoy as it is. A callback mixing kinds does not compile.
 */
export function withKind<S extends Decoy | AnyCreateRequest, T>(
  subject: S,
  use: <K extends DecoyKind>(module: DecoyKindModule<K>, subject: Extract<S, { kind: K }>) => T,
): T {
  // The module is the one `subject.kind` names, so the two are of one kind; TypeScript sees a union of
  // modules beside a union of subjects and cannot follow that correlation, hence this one cast.
  const useOfOneKind = use as (module: (typeof DECOY_KIND_MODULES)[DecoyKind], subject: S) => T;
  return useOfOneKind(DECOY_KIND_MODULES[subject.kind], subject);
}

export function identifiersOf(decoy: Decoy): DecoyIdentifier[] {
  return withKind(decoy, (module, decoy) => module.identifiers(decoy));
}

export function mailboxOf(decoy: Decoy): string | undefined {
  return withKind(decoy, (module, decoy) => module.mailboxOf(decoy));
}
