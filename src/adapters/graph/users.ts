import { DirectoryError, type DirectoryUser, type NewDirectoryUser } from '../../ports/directory.js';
import type { GraphClient } from './graphClient.js';

interface RawUser {
  readonly id?: unknown;
  readonly userPrincipalName?: unknown;
  readonly accountEnabled?: unknown;
}

export async function createUser(graph: GraphClient, user: NewDirectoryUser): Promise<DirectoryUser> {
  const created = await graph.call<RawUser>(
    'POST /users',
    (client) =>
      client.api('/users').post({
        accountEnabled: true,
        userPrincipalName: user.userPrincipalName,
        displayName: user.displayName,
        mailNickname: user.mailNickname,
        ...(user.givenName === undefined ? {} : { givenName: user.givenName }),
        ...(user.surname === undefined ? {} : { surname: user.surname }),
        ...(user.jobTitle === undefined ? {} : { jobTitle: user.jobTitle }),
        ...(user.department === undefined ? {} : { department: user.department }),
        passwordProfile: { password: user.password, forceChangePasswordNextSignIn: false },
      }),
    { sensitive: true },
  );
  return userOf(created);
}

export async function getUser(graph: GraphClient, idOrUserPrincipalName: string): Promise<DirectoryUser | undefined> {
  const user = await graph.callOrMissing<RawUser>('GET /users/{id}', (client) =>
    client
      .api(`/users/${encodeURIComponent(idOrUserPrincipalName)}`)
      .select(['id', 'userPrincipalName', 'accountEnabled'])
      .get(),
  );
  return user === undefined ? undefined : userOf(user);
}

export async function resetUserPassword(graph: GraphClient, userId: string, password: string): Promise<void> {
  await graph.call(
    'PATCH /users/{id} passwordProfile',
    (client) => client.api(`/users/${encodeURIComponent(userId)}`).patch({ passwordProfile: { password, forceChangePasswordNextSignIn: false } }),
    { sensitive: true, justCreated: true },
  );
}

export async function deleteUser(graph: GraphClient, userId: string): Promise<void> {
  await graph.callOrMissing('DELETE /users/{id}', (client) => client.api(`/users/${encodeURIComponent(userId)}`).delete());
}

function userOf(raw: RawUser): DirectoryUser {
  if (typeof raw.id !== 'string' || typeof raw.userPrincipalName !== 'string') throw new DirectoryError('users', 'a user without id or userPrincipalName');
  return { id: raw.id, userPrincipalName: raw.userPrincipalName, ...(typeof raw.accountEnabled === 'boolean' ? { accountEnabled: raw.accountEnabled } : {}) };
}
