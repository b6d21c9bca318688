/**
 * The Entra clouds Lure can run in: where each publishes keys, which issuers it writes, and where its Graph
 * is, and whom a Logs Ingestion token is for (`KnownMonitorAudience`). US Government L4 (GCC High) and L5
 * (DoD) share a login host and differ in Graph.
 */
export const CLOUDS = {
  public: {
    authorityHost: 'https://login.microsoftonline.com',
    v1IssuerHost: 'https://sts.windows.net',
    graphHost: 'https://graph.microsoft.com',
    monitorAudience: 'https://monitor.azure.com',
  },
  usgov: {
    authorityHost: 'https://login.microsoftonline.us',
    v1IssuerHost: 'https://sts.windows.net',
    graphHost: 'https://graph.microsoft.us',
    monitorAudience: 'https://monitor.azure.us',
  },
  usgovdod: {
    authorityHost: 'https://login.microsoftonline.us',
    v1IssuerHost: 'https://sts.windows.net',
    graphHost: 'https://dod-graph.microsoft.us',
    monitorAudience: 'https://monitor.azure.us',
  },
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    v1IssuerHost: 'https://sts.chinacloudapi.cn',
    graphHost: 'https://microsoftgraph.chinacloudapi.cn',
    monitorAudience: 'https://monitor.azure.cn',
  },
} as const;
export type CloudName = keyof typeof CLOUDS;

/**
 * Login hosts whose v2 tokens name another host as issuer: Azure China's sign-in at login.chinacloudapi.cn
 * serves endpoints, and writes issuers, under login.partner.microsoftonline.cn (its openid-configuration).
 * Both are taken as the cloud's.
 */
const ISSUER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'https://login.chinacloudapi.cn': ['https://login.partner.microsoftonline.cn'],
};

/** The hosts a cloud's v2 issuers may name: its login host, and any alias it issues under. */
export function v2IssuerHostsOf(authorityHost: string): readonly string[] {
  return [authorityHost, ...(ISSUER_ALIASES[authorityHost] ?? [])];
}

/** The consumer (Microsoft account) tenant: tokens of personal accounts carry it as `tid`. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export type IssuerKind = { readonly kind: 'organization'; readonly tenantId: string } | { readonly kind: 'consumer' } | { readonly kind: 'other' };

/**
 * Whether a token's `iss` is an Entra issuer of the cloud: an organisation tenant (v2
 * `https://login…/{tid}/v2.0`, v1 `https://sts…/{tid}/`) or the consumer tenant. Other issuers (B2C, other
 * identity providers) are not judged.
 */
export function issuerKindOf(issuer: string | undefined, authorityHost: string, v1IssuerHost: string): IssuerKind {
  if (issuer === undefined) return { kind: 'other' };
  const patterns = issuerPatternsOf(authorityHost, v1IssuerHost);
  // Every token observation asks, and a tenant's tokens carry one or two issuers: remember the answers.
  let kind = patterns.kinds.get(issuer);
  if (kind === undefined) {
    const tenantId = (patterns.v2.exec(issuer) ?? patterns.v1.exec(issuer))?.[1]?.toLowerCase();
    kind = tenantId === undefined ? { kind: 'other' } : tenantId === CONSUMER_TENANT_ID ? { kind: 'consumer' } : { kind: 'organization', tenantId };
    // Bounded in count and size: issuers are attacker-chosen text (a real one is under 100 characters).
    if (issuer.length <= MAX_REMEMBERED_ISSUER_LENGTH) {
      if (patterns.kinds.size >= MAX_REMEMBERED_ISSUERS) patterns.kinds.clear();
      patterns.kinds.set(issuer, kind);
    }
  }
  return kind;
}

const MAX_REMEMBERED_ISSUERS = 1_024;
const MAX_REMEMBERED_ISSUER_LENGTH = 256;

/** Compiled once per pair of hosts: every token observation asks. */
const ISSUER_PATTERNS = new Map<string, IssuerPatterns>();

interface IssuerPatterns {
  readonly v2: RegExp;
  readonly v1: RegExp;
  /** Issuers already judged, and their kind. */
  readonly kinds: Map<string, IssuerKind>;
}

function issuerPatternsOf(authorityHost: string, v1IssuerHost: string): IssuerPatterns {
  const key = `${authorityHost} ${v1IssuerHost}`;
  let patterns = ISSUER_PATTERNS.get(key);
  if (patterns === undefined) {
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const v2Hosts = v2IssuerHostsOf(authorityHost).map(escape).join('|');
    patterns = { v2: new RegExp(`^(?:${v2Hosts})/(${GUID})/v2\\.0/?$`), v1: new RegExp(`^${escape(v1IssuerHost)}/(${GUID})/?$`), kinds: new Map() };
    ISSUER_PATTERNS.set(key, patterns);
  }
  return patterns;
}

/**
 * Where a cloud publishes a key set: the tenant's own or the consumer one (`…/discovery/v2.0/keys`), or an
 * app's own signing keys (`…/discovery/keys?appid=`, as its `openid-configuration?appid=` names it).
 */
export function keySetUrl(authorityHost: string, set: { readonly tenant: string; readonly appId?: string }): string {
  const tenant = encodeURIComponent(set.tenant);
  return set.appId === undefined
    ? `${authorityHost}/${tenant}/discovery/v2.0/keys`
    : `${authorityHost}/${tenant}/discovery/keys?appid=${encodeURIComponent(set.appId)}`;
}
