import type { EntraSignInCategory, NormalizedEvent } from '../domain/events.js';
import type { SignInProgress, TokenIssuance, TokenUse } from '../domain/tokens.js';

/** The issuance a sign-in record reports, when it names its token (every sign-in category does). */
export function tokenIssuanceOf(event: NormalizedEvent): TokenIssuance | undefined {
  if (event.kind !== 'signIn' || event.source !== 'entra') return undefined;
  const uti = event.token?.uniqueTokenId;
  if (uti === undefined) return undefined;
  const principal = event.actor.userPrincipalName ?? event.actor.userId ?? event.actor.servicePrincipalId ?? event.actor.appId;
  // Optional fields assigned, not spread in: V8 copies a spread with extra keys the slow way, once per sign-in.
  const issuance: Writable<TokenIssuance> = { uti, issuedAt: event.time, category: event.category, recordId: event.recordId };
  if (event.tenantId !== undefined) issuance.tenantId = event.tenantId;
  if (principal !== undefined) issuance.principal = principal;
  return issuance;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const MAIL_PATH = /\/(messages|mailfolders)(\/|$|\?)/i;

/**
 * What `tokenUseOf` would say of an event's token, cheaply: its id, source and app. Most uses match a token
 * indexed moments ago; they need no more than this, so the full use is built only for the rest.
 */
export function tokenUseHeadOf(
  event: NormalizedEvent,
  options: { readonly includeObservations: boolean },
): Pick<TokenUse, 'uti' | 'source' | 'appId'> | undefined {
  const uti = event.token?.uniqueTokenId;
  if (uti === undefined) return undefined;
  const source =
    event.kind === 'graphActivity'
      ? 'graph'
      : event.kind === 'mailItemsAccessed' ||
          event.kind === 'mailItemOperation' ||
          event.kind === 'mailboxChange' ||
          event.kind === 'mailboxSearch' ||
          event.kind === 'mailboxLogin'
        ? 'exchange'
        : event.kind === 'fileOperation'
          ? 'sharepoint'
          : event.kind === 'tokenObservation' && options.includeObservations
            ? 'token'
            : undefined;
  if (source === undefined) return undefined;
  return event.actor.appId === undefined ? { uti, source } : { uti, source, appId: event.actor.appId };
}

/**
 * The token use a record reports: a Graph request (`signInActivityId`), an Exchange or SharePoint record
 * (`AppAccessContext.UniqueTokenId`, also inside Defender's `RawEventData`), or, when enabled, a token an
 * API gateway saw (`uti` claim). `touchesDecoy` is decided by the caller, who knows the record's findings.
 */
export function tokenUseOf(event: NormalizedEvent, options: { readonly includeObservations: boolean }): Omit<TokenUse, 'touchesDecoy'> | undefined {
  const uti = event.token?.uniqueTokenId;
  if (uti === undefined || event.token === undefined) return undefined;
  const evidence = { source: event.source, type: event.recordType, id: event.recordId, time: event.time };
  const principalType =
    event.kind === 'graphActivity' && event.identityType !== undefined
      ? event.identityType
      : event.actor.servicePrincipalId !== undefined
        ? 'app'
        : event.actor.userId !== undefined || event.actor.userPrincipalName !== undefined
          ? 'user'
          : undefined;
  const common = {
    ...(principalType === undefined || event.kind === 'tokenObservation' ? {} : { principalType }),
    uti,
    usedAt: event.time,
    ...(event.tenantId === undefined ? {} : { tenantId: event.tenantId }),
    ...(event.token.issuedAt === undefined ? {} : { issuedAt: event.token.issuedAt }),
    ...(event.actor.appId === undefined ? {} : { appId: event.actor.appId }),
    actor: event.actor,
    token: event.token,
    evidence,
  };
  switch (event.kind) {
    case 'graphActivity':
      return {
        ...common,
        source: 'graph',
        resource: `${event.method} ${event.requestUri}`,
        readsMail: event.method === 'GET' && MAIL_PATH.test(event.requestUri),
      };
    case 'mailItemsAccessed':
    case 'mailItemOperation':
    case 'mailboxChange':
    case 'mailboxSearch':
    case 'mailboxLogin':
      return {
        ...common,
        source: 'exchange',
        resource: `${event.operation}${event.mailbox.ownerUpn === undefined ? '' : ` on ${event.mailbox.ownerUpn}`}`,
        readsMail: event.kind === 'mailItemsAccessed' || event.kind === 'mailboxSearch',
      };
    case 'fileOperation':
      return { ...common, source: 'sharepoint', resource: `${event.operation} of ${event.file.urls[0] ?? event.file.fileName ?? 'a file'}`, readsMail: false };
    case 'tokenObservation':
      if (!options.includeObservations) return undefined;
      return { ...common, source: 'token', ...(event.requestUri === undefined ? {} : { resource: event.requestUri }), readsMail: false };
    default:
      return undefined;
  }
}

/** What the sign-in streams of one tenant allow Lure to judge. */
export interface IssuanceCoverage {
  /** Tokens issued before this were never indexed: their uses are not judged. */
  readonly coverageStart: string;
  /** Every gating category and every hub partition has delivered up to here (event time). */
  readonly watermark: string;
}

/**
 * The sign-in categories that issue a token of each principal type. A use is judged only when all of them
 * deliver: a tenant that exports no service-principal sign-ins has no way to tell an app's forged token
 * from a real one, and must not be told every app token is forged.
 */
export const ISSUING_CATEGORIES: Readonly<Record<'user' | 'app' | 'unknown', readonly EntraSignInCategory[]>> = {
  user: ['SignInLogs', 'NonInteractiveUserSignInLogs'],
  app: ['ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs'],
  unknown: ['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs'],
};

/**
 * The coverage of one tenant for tokens of one principal type, from its per-stream progress: `uncoverable`
 * when a category that issues such tokens has never delivered (the index can never hold them: a category
 * enabled later covers only tokens issued later), undefined while no gating category has delivered.
 * Coverage starts when the last of the gating and issuing categories started. The watermark is the least
 * advanced of the gating categories (non-interactive sign-ins lag interactive ones) and of the hub
 * partitions (one may still hold a backlog another has passed): a stalled stream holds every judgement back.
 */
export function coverageOf(
  progress: readonly SignInProgress[],
  gatingCategories: ReadonlySet<EntraSignInCategory>,
  issuingCategories: readonly EntraSignInCategory[] = [],
): IssuanceCoverage | 'uncoverable' | undefined {
  const delivered = new Map(progress.map((entry) => [entry.category, entry]));
  if (issuingCategories.some((category) => !delivered.has(category))) return 'uncoverable';
  const gating = progress.filter((entry) => gatingCategories.has(entry.category as EntraSignInCategory));
  if (gating.length === 0) return undefined;
  const starting = [...gating, ...issuingCategories.flatMap((category) => delivered.get(category) ?? [])];
  const holding = [...gating, ...progress.filter((entry) => entry.category.startsWith('partition:'))];
  return {
    coverageStart: starting.map((entry) => entry.firstEventTime).reduce((a, b) => (a > b ? a : b)),
    watermark: holding.map((entry) => entry.watermark).reduce((a, b) => (a < b ? a : b)),
  };
}

/** The moment the issuing sign-in must have been seen by: issue time (or use time when unknown) plus grace. */
export function dueTimeOf(use: Pick<TokenUse, 'issuedAt' | 'usedAt'>, graceInMinutes: number): string {
  return new Date(Date.parse(use.issuedAt ?? use.usedAt) + graceInMinutes * 60_000).toISOString();
}

export type CheckVerdict =
  /** The streams have not reached the due time yet (or are stalled): keep waiting. */
  | 'wait'
  /** The token may have been issued before the index covered that time: drop without judging. */
  | 'notCovered'
  /** Look the token up; if it was never issued, the use is a forged-token signal. */
  | 'judge';

/**
 * Whether a pending check can be judged now. `force` (end of a replay) acts as if event time had moved past
 * every grace period; it never lifts the coverage guard.
 */
export function verdictOf(
  check: Pick<TokenUse, 'issuedAt' | 'usedAt'> & { readonly dueAt: string },
  coverage: IssuanceCoverage | 'uncoverable' | undefined,
  options: { readonly force: boolean; readonly maxTokenLifetimeInHours: number },
): CheckVerdict {
  if (coverage === 'uncoverable') return 'notCovered';
  if (coverage === undefined) return options.force ? 'notCovered' : 'wait';
  // Without its issue time, a token may be as old as the longest-lived token.
  const earliestIssue = check.issuedAt ?? new Date(Date.parse(check.usedAt) - options.maxTokenLifetimeInHours * 3_600_000).toISOString();
  if (earliestIssue < coverage.coverageStart) return 'notCovered';
  if (!options.force && coverage.watermark < check.dueAt) return 'wait';
  return 'judge';
}

/** The mode a token-use source runs in: `alert` raises alerts, `shadow` only counts matches, `off` ignores uses. */
export type IssuanceMode = 'alert' | 'shadow' | 'off';
