import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../../domain/audit.js';
import { isCompromisedKeyId } from '../../keys/compromisedKeys.js';
import { keySetUrl, v2IssuerHostsOf } from '../../keys/clouds.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import { ApiError } from './apiError.js';

/** App roles of the Lure API app registration. */
export const ADMIN_ROLE = 'Lure.Admin';
export const READER_ROLE = 'Lure.Reader';
/**
 * The delegated scope the API exposes (infra/entra/main.bicep), so that a person can get a token through a
 * pre-authorised client (the Azure CLI, PowerShell, the console). It only admits the caller: the app roles
 * assigned to the person still decide what they may do.
 */
export const USER_SCOPE = 'access_as_user';

/** What a route needs: any verified caller with a role (`read`: Reader or Admin), or an Admin (`write`). */
export type AccessLevel = 'read' | 'write';

export interface CallerAuthenticatorOptions {
  /** The tenant whose users and apps may call (`tid`, and the v2 issuer). */
  readonly tenantId: string;
  /** The cloud's login host: issuer `{authorityHost}/{tenantId}/v2.0`, keys under it. */
  readonly authorityHost: string;
  /** The API's client id and its app id URI: a token's `aud` must be one of them. */
  readonly audiences: readonly string[];
  /** Clients whose delegated tokens are accepted (lower-case `azp`): a person's token through any other app is refused. */
  readonly delegatedClientIds: readonly string[];
  /** Whether to trust the tenant's published keys (fetched, cached and refreshed on an unknown `kid`). */
  readonly tenantKeys: boolean;
  /** Local development only: public keys of the tokens `lure dev-token` mints. */
  readonly devKeys?: JSONWebKeySet;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Entra signs with RS256; a token claiming anything else (`none`, HS256 with a public key as secret) is refused first. */
const ALGORITHMS = ['RS256'];
/** Clock skew tolerated between Entra and this host. */
const CLOCK_TOLERANCE_IN_SECONDS = 120;
/**
 * The longest life Entra gives an access token: 60–90 minutes by default, up to 28 hours for a
 * CAE-capable client. A token older than this, or issued to live longer, was not issued by Entra as it is.
 */
const MAX_TOKEN_LIFETIME_IN_SECONDS = 28 * 3600;
/** Room past that limit, for the minutes by which an issuer back-dates `iat` and `nbf` against skew. */
const TOKEN_LIFETIME_SLACK_IN_SECONDS = 600;
/** Header fields read before the signature is checked: the forger wrote them, so each must be text if present. */
const TEXT_HEADER_FIELDS = ['alg', 'kid', 'x5t', 'typ'] as const;
/** How much of a header value a refusal's log line keeps (it is the forger's text). */
const LOGGED_HEADER_LENGTH = 64;

/**
 * Verifies the bearer token of an admin API request with `jose`: a v2 access token of the tenant
 * (`iss` `{authority}/{tid}/v2.0`, `tid`), for this API (`aud`), current, RS256, signed by a key the tenant
 * publishes, and carrying an app role that allows the route. A person's (delegated) token also carries
 * `scp`, which must name the API's scope; an app's token carries none. Either way the roles decide. Nothing
 * else is trusted: not an `x-ms-client-principal` header, which nothing guarantees the platform set.
 */
export class CallerAuthenticator {
  private readonly issuers: string[];
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: CallerAuthenticatorOptions) {
    this.issuers = v2IssuerHostsOf(options.authorityHost).map((host) => `${host}/${options.tenantId}/v2.0`);
    const tenant = options.tenantKeys
      ? createRemoteJWKSet(new URL(keySetUrl(options.authorityHost, { tenant: options.tenantId })), {
          timeoutDuration: 5_000,
          // An unknown kid refetches at most this often, so a stream of forged tokens cannot hammer the key endpoint.
          cooldownDuration: 60_000,
          cacheMaxAge: 3_600_000,
        })
      : undefined;
    const dev = options.devKeys === undefined ? undefined : createLocalJWKSet(options.devKeys);
    const devKeyIds = new Set((options.devKeys?.keys ?? []).map((key) => key.kid));
    this.keys = async (header, token) => {
      if (dev !== undefined && devKeyIds.has(header.kid)) return dev(header, token);
      if (tenant !== undefined) return tenant(header, token);
      throw new errors.JWKSNoMatchingKey();
    };
  }

  /** The caller of a request with this `Authorization` header, allowed `access`; else an `ApiError` (401, 403, 503). */
  async authenticate(authorization: string | null, access: AccessLevel, origin: { readonly ipAddress?: string } = {}): Promise<Caller> {
    const token = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (token === undefined) throw unauthenticated('a bearer token is required (Authorization: Bearer <token>)', false);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw this.refuse('malformed token', 'not a JWT', origin);
    }
    const untyped = TEXT_HEADER_FIELDS.find((name) => header[name] !== undefined && typeof header[name] !== 'string');
    if (untyped !== undefined) throw this.refuse('malformed token header', `header ${untyped} is not text`, origin);
    if (header.alg !== 'RS256') throw this.refuse('token must be signed with RS256', `alg ${logged(header.alg)}`, origin);
    if (isCompromisedKeyId(header.kid) || isCompromisedKeyId(header.x5t)) {
      // A forged token presented to Lure itself: worth more than a routine refusal in the logs.
      this.options.logger.error('admin API: token signed by a known-compromised key refused', { kid: logged(header.kid ?? header.x5t), ...origin });
      throw unauthenticated('token signed by a known-compromised key', true);
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.issuers,
        audience: [...this.options.audiences],
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_IN_SECONDS,
        // Also refuses an `iat` in the future (beyond the tolerance).
        maxTokenAge: MAX_TOKEN_LIFETIME_IN_SECONDS + TOKEN_LIFETIME_SLACK_IN_SECONDS,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
        currentDate: this.options.clock.now(),
      }));
    } catch (error) {
      throw this.verificationFailure(error, header.kid, origin);
    }
    // jose has checked that both are numbers (requiredClaims); a token minted to outlive Entra's longest is forged.
    if ((payload['exp'] as number) - (payload['iat'] as number) > MAX_TOKEN_LIFETIME_IN_SECONDS + TOKEN_LIFETIME_SLACK_IN_SECONDS) {
      throw this.refuse('token lives longer than Entra issues tokens for', 'exp - iat', origin);
    }
    if (typeof payload['tid'] !== 'string' || payload['tid'].toLowerCase() !== this.options.tenantId.toLowerCase()) {
      throw this.refuse('token of another tenant', 'tid', origin);
    }
    if (typeof payload['oid'] !== 'string' || payload['oid'] === '') throw this.refuse('token names no caller (oid)', 'oid', origin);
    // An ID token of the same app registration has the same issuer and audience, and may carry roles: only
    // v2 access tokens name the client they were issued to (azp), and only ID tokens answer a sign-in (nonce).
    if (typeof payload['azp'] !== 'string' || payload['nonce'] !== undefined)
      throw this.refuse('an access token is required, not an ID token', 'azp/nonce', origin);
    // A delegated token names the scopes the client was granted; one granted some other scope of this API is not for Lure's routes.
    const scopes = payload['scp'];
    if (scopes !== undefined && typeof scopes !== 'string') throw this.refuse('malformed token claim scp', 'scp', origin);
    if (scopes !== undefined && !scopes.split(' ').includes(USER_SCOPE)) {
      this.options.logger.warn('admin API: delegated token without the API scope', { objectId: payload['oid'], ...origin });
      throw new ApiError(403, 'forbidden', `a delegated token must carry the ${USER_SCOPE} scope`, undefined, {
        'WWW-Authenticate': `Bearer realm="lure", error="insufficient_scope", scope="${USER_SCOPE}"`,
      });
    }
    // An app a person consented to (or was phished into consenting to) would otherwise act with their role.
    if (scopes !== undefined && !this.options.delegatedClientIds.includes(payload['azp'].toLowerCase())) {
      this.options.logger.warn('admin API: delegated token from a client not accepted', {
        objectId: payload['oid'],
        clientId: logged(payload['azp']),
        ...origin,
      });
      throw new ApiError(
        403,
        'forbidden',
        'delegated tokens are accepted only from the Azure CLI, Azure PowerShell, the console and LURE_API_DELEGATED_CLIENT_IDS',
        undefined,
        {
          'WWW-Authenticate': 'Bearer realm="lure", error="insufficient_scope"',
        },
      );
    }
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter((role): role is string => typeof role === 'string') : [];
    const allowed = access === 'write' ? roles.includes(ADMIN_ROLE) : roles.includes(ADMIN_ROLE) || roles.includes(READER_ROLE);
    const caller = callerOf(payload, payload['oid'], roles);
    if (!allowed) {
      this.options.logger.warn('admin API: caller lacks the role', {
        objectId: caller.objectId,
        needed: access === 'write' ? ADMIN_ROLE : READER_ROLE,
        ...origin,
      });
      throw new ApiError(403, 'forbidden', `this route needs the ${access === 'write' ? ADMIN_ROLE : `${READER_ROLE} or ${ADMIN_ROLE}`} app role`, undefined, {
        'WWW-Authenticate': 'Bearer realm="lure", error="insufficient_scope"',
      });
    }
    return caller;
  }

  private verificationFailure(error: unknown, kid: string | undefined, origin: { readonly ipAddress?: string }): ApiError {
    if (error instanceof errors.JWTExpired)
      return error.claim === 'iat' ? this.refuse('token is older than Entra issues tokens for', 'iat', origin) : this.refuse('token expired', 'exp', origin);
    if (error instanceof errors.JWTClaimValidationFailed) return this.refuse(`token claim ${error.claim} is not accepted`, error.claim, origin);
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
      return this.refuse('token signed by a key the tenant does not publish', `kid ${logged(kid)}`, origin);
    if (error instanceof errors.JWSSignatureVerificationFailed) return this.refuse('token signature is invalid', 'signature', origin);
    // A key endpoint that timed out, answered other than 200 (jose's generic error) or served junk is an outage, not a bad token.
    if (
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      !(error instanceof errors.JOSEError) ||
      error.code === 'ERR_JOSE_GENERIC'
    ) {
      this.options.logger.error("admin API: the tenant's signing keys could not be fetched", { error: error instanceof Error ? error.message : String(error) });
      return new ApiError(503, 'keysUnavailable', "the tenant's signing keys could not be fetched; try again shortly", undefined, { 'Retry-After': '30' });
    }
    return this.refuse('token is not valid', error.code, origin);
  }

  private refuse(message: string, reason: string, origin: { readonly ipAddress?: string }): ApiError {
    this.options.logger.warn('admin API: token refused', { reason, ...origin });
    return unauthenticated(message, true);
  }
}

/** A header value for a log line: text the forger chose, so cut short. */
function logged(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return value.length > LOGGED_HEADER_LENGTH ? `${value.slice(0, LOGGED_HEADER_LENGTH)}…` : value;
}

function unauthenticated(message: string, tokenPresented: boolean): ApiError {
  // RFC 6750: a request without a token gets the bare challenge; a bad token, `invalid_token`.
  const challenge = tokenPresented ? 'Bearer realm="lure", error="invalid_token"' : 'Bearer realm="lure"';
  return new ApiError(401, 'unauthenticated', message, undefined, { 'WWW-Authenticate': challenge });
}

function callerOf(payload: Record<string, unknown>, objectId: string, roles: readonly string[]): Caller {
  const text = (name: string): string | undefined => (typeof payload[name] === 'string' && payload[name] !== '' ? payload[name] : undefined);
  const userPrincipalName = text('preferred_username') ?? text('upn');
  const appId = text('azp') ?? text('appid');
  return { objectId, ...(userPrincipalName === undefined ? {} : { userPrincipalName }), ...(appId === undefined ? {} : { appId }), roles };
}
