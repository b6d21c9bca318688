import { z } from 'zod';
import { CLOUDS, type CloudName } from '../../keys/clouds.js';

const cloud = z.enum(Object.keys(CLOUDS) as [CloudName, ...CloudName[]]).describe('The Entra cloud, which decides the portal links the console shows');

/**
 * What the web console needs to sign a person in, served unauthenticated at `GET /api/console-config`: no
 * secret, only what a sign-in page shows anyway. `entra`: MSAL with the authorization code flow and PKCE;
 * `local`: the local host's one-time sign-in link or a pasted dev token; `unconfigured`: the API refuses
 * every call until LURE_TENANT_ID and LURE_API_CLIENT_ID are set.
 */
export const consoleConfigResource = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('entra'),
    cloud,
    tenantId: z.string(),
    clientId: z.string(),
    authority: z.string().describe("`{login host}/{tenant}`: MSAL's authority"),
    scopes: z.array(z.string()).describe('The delegated scope the console asks for'),
  }),
  z.object({ mode: z.literal('local'), cloud }),
  z.object({ mode: z.literal('unconfigured'), cloud }),
]);
export type ConsoleConfig = z.infer<typeof consoleConfigResource>;
