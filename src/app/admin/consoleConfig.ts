/**
 * What the web console needs to sign a person in, served unauthenticated at `GET /api/console-config`: no
 * secret, only what a sign-in page shows anyway. `entra`: MSAL with the authorization code flow and PKCE;
 * `local`: the local host's one-time sign-in link or a pasted dev token; `unconfigured`: the API refuses
 * every call until LURE_TENANT_ID and LURE_API_CLIENT_ID are set.
 */
export type ConsoleConfig =
  | {
      readonly mode: 'entra';
      readonly tenantId: string;
      readonly clientId: string;
      /** `{login host}/{tenant}`: MSAL's authority. */
      readonly authority: string;
      /** The delegated scope the console asks for. */
      readonly scopes: readonly string[];
    }
  | { readonly mode: 'local' }
  | { readonly mode: 'unconfigured' };
