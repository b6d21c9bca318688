import { type AccountInfo, InteractionRequiredAuthError, PublicClientApplication } from '@azure/msal-browser';
import type { ConsoleConfig } from './types.js';

/** Who is signed in, and how to get their token; the token is kept in memory and session storage, never in a URL. */
export interface Session {
  readonly name: string;
  token(): Promise<string>;
  signOut(): Promise<void>;
}

const LOCAL_TOKEN = 'lure.localToken';

export async function consoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/api/console-config', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the console's configuration could not be read (HTTP ${response.status})`);
  return (await response.json()) as ConsoleConfig;
}

/**
 * The local host (npm start): the printed link's one-time code (in the fragment, which no server sees) is
 * traded for a dev token, and the fragment is wiped from the address bar and history at once.
 */
export async function localSession(): Promise<{ session?: Session; problem?: string }> {
  const code = new URLSearchParams(location.hash.replace(/^#/, '')).get('code');
  let problem: string | undefined;
  if (code !== null) {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    const response = await fetch('/local/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    if (response.ok) sessionStorage.setItem(LOCAL_TOKEN, ((await response.json()) as { token: string }).token);
    else problem = 'That sign-in link was used already or has expired: npm start prints a new one when it starts.';
  }
  const token = sessionStorage.getItem(LOCAL_TOKEN);
  if (token === null) return problem === undefined ? {} : { problem };
  try {
    return { session: localSessionOf(token) };
  } catch (error) {
    // A kept token that cannot be read would lock the tab on every reload: forget it.
    sessionStorage.removeItem(LOCAL_TOKEN);
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** A pasted token (`npx lure dev-token --role Lure.Reader`): read first, kept only if it reads. */
export function useLocalToken(token: string): Session {
  const session = localSessionOf(token.trim());
  sessionStorage.setItem(LOCAL_TOKEN, token.trim());
  return session;
}

function localSessionOf(token: string): Session {
  let payload: { preferred_username?: string; roles?: string[] };
  try {
    payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as typeof payload;
  } catch {
    throw new Error('That is not a token: paste the line npx lure dev-token printed.');
  }
  return {
    name: `${payload.preferred_username ?? 'local user'} (${(payload.roles ?? []).join(', ') || 'no role'})`,
    token: () => Promise.resolve(token),
    signOut: () => {
      sessionStorage.removeItem(LOCAL_TOKEN);
      return Promise.resolve();
    },
  };
}

/** Entra ID: MSAL with the authorization code flow and PKCE, redirecting to this page. */
export async function entraSession(config: Extract<ConsoleConfig, { mode: 'entra' }>): Promise<{ session?: Session; signIn: () => Promise<void> }> {
  const msal = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      // The API named the authority (the cloud's login host): no instance discovery against another host.
      knownAuthorities: [new URL(config.authority).host],
      redirectUri: `${location.origin}/`,
      postLogoutRedirectUri: `${location.origin}/`,
    },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await msal.initialize();
  const redirected = await msal.handleRedirectPromise();
  const account: AccountInfo | null = redirected?.account ?? msal.getAllAccounts()[0] ?? null;
  const request = { scopes: [...config.scopes] };
  const signIn = () => msal.loginRedirect(request);
  if (account === null) return { signIn };
  return {
    signIn,
    session: {
      name: account.username,
      async token() {
        try {
          return (await msal.acquireTokenSilent({ ...request, account })).accessToken;
        } catch (error) {
          if (error instanceof InteractionRequiredAuthError) await msal.acquireTokenRedirect(request);
          throw error;
        }
      },
      signOut: () => msal.logoutRedirect({ account }),
    },
  };
}
