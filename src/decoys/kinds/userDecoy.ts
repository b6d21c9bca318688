import { z } from 'zod';
import type { UserDecoy } from '../../domain/decoys.js';
import type { PasswordGeneration } from '../../domain/lifecycle.js';
import { DirectoryError } from '../../ports/directory.js';
import type { CreateRequestBase, DecoyIdentifier, DecoyKindModule, LifecycleContext } from '../decoyKind.js';
import { commonCreateFields, commonDecoyFields, DecoyValidationError, guidSchema, upnSchema } from '../decoySchemaParts.js';
import { fingerprintOf, hintOf, newPassword } from '../secrets.js';
import { mailNicknameOf, nameOfUserPrincipalName, randomName } from '../userNames.js';

export interface CreateUserDecoyRequest extends CreateRequestBase {
  readonly kind: 'user';
  readonly userPrincipalName?: string;
  readonly displayName?: string;
  readonly jobTitle?: string;
  readonly department?: string;
}

/** Tries at a free `given.surname[n]` before giving up and asking for a UPN. */
const NAME_ATTEMPTS = 5;

/**
 * A decoy member user: every sign-in, Graph call or change that involves it is a hit. Lure creates it
 * enabled, with a random password of 40 characters, and no licence, roles or groups; rotation resets the
 * password (only the current one works, so one generation is kept).
 */
export const userDecoy: DecoyKindModule<'user', CreateUserDecoyRequest> = {
  kind: 'user',
  schema: z.strictObject({
    ...commonDecoyFields,
    kind: z.literal('user'),
    userPrincipalName: upnSchema,
    objectId: guidSchema.optional(),
  }),
  identifiers(decoy: UserDecoy): DecoyIdentifier[] {
    const identifiers: DecoyIdentifier[] = [{ space: 'userPrincipalName', value: decoy.userPrincipalName }];
    if (decoy.objectId !== undefined) identifiers.push({ space: 'userObjectId', value: decoy.objectId });
    return identifiers;
  },
  mailboxOf: (decoy) => decoy.userPrincipalName,
  lifecycle: {
    createSchema: z.strictObject({
      ...commonCreateFields,
      kind: z.literal('user'),
      userPrincipalName: upnSchema.optional(),
      displayName: z.string().trim().min(1).max(256).optional(),
      jobTitle: z.string().trim().min(1).max(128).optional(),
      department: z.string().trim().min(1).max(64).optional(),
    }),
    makesSecret: true,
    keptGenerations: () => 1,

    async targetOf(request, _journalId, context) {
      if (request.userPrincipalName !== undefined) {
        if ((await context.directory.getUser(request.userPrincipalName)) !== undefined) {
          throw new DecoyValidationError(
            `${request.userPrincipalName} already exists in the tenant; register it as a decoy instead of creating it`,
            'userPrincipalName',
          );
        }
        return { kind: 'user', userPrincipalName: request.userPrincipalName };
      }
      const domain = context.settings.userDomain;
      if (domain === undefined) throw new DecoyValidationError('give one, or set LURE_DECOY_USER_DOMAIN so Lure can make one up', 'userPrincipalName');
      const name = randomName();
      for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt += 1) {
        const userPrincipalName = `${mailNicknameOf(name, attempt === 0 ? undefined : attempt + 1)}@${domain}`;
        if ((await context.directory.getUser(userPrincipalName)) === undefined) return { kind: 'user', userPrincipalName };
      }
      throw new DecoyValidationError(`every name tried for ${name.givenName} ${name.surname} is taken; give a userPrincipalName`, 'userPrincipalName');
    },

    async create(request, target, entry, context) {
      if (target.kind !== 'user') throw new TypeError('a user decoy needs a user target');
      const name = nameOfUserPrincipalName(target.userPrincipalName);
      const profile = context.settings.jobTitles[hashIndex(target.userPrincipalName, context.settings.jobTitles.length)];
      if (profile === undefined) throw new RangeError('a user decoy needs a job title: LURE_DECOY_JOB_TITLES is empty');
      const password = newPassword();
      const upn = target.userPrincipalName;
      // split gives at least one part, whatever the UPN holds.
      const [localPart] = upn.split('@') as [string, ...string[]];
      let objectId: string;
      try {
        objectId = (
          await context.directory.createUser({
            userPrincipalName: upn,
            displayName: request.displayName ?? (name === undefined ? localPart : `${name.givenName} ${name.surname}`),
            mailNickname: localPart.replace(/[^A-Za-z0-9.\-_]/g, ''),
            ...(name === undefined ? {} : { givenName: name.givenName, surname: name.surname }),
            jobTitle: request.jobTitle ?? profile.jobTitle,
            department: request.department ?? profile.department,
            password,
          })
        ).id;
      } catch (error) {
        // A retried POST whose first attempt went through is refused as a duplicate. The UPN was free when
        // this create began (targetOf checked), so the user there is this create's: take it, with this password.
        if (!(error instanceof DirectoryError) || error.status !== 400) throw error;
        const existing = await context.directory.getUser(upn);
        if (existing === undefined) throw error;
        await context.directory.resetUserPassword(existing.id, password);
        objectId = existing.id;
      }
      return {
        decoy: {
          kind: 'user',
          id: request.id,
          enabled: request.enabled,
          userPrincipalName: upn,
          objectId,
          ...(request.memo === undefined ? {} : { memo: request.memo }),
          ...(request.rotationIntervalInHours === undefined ? {} : { rotationIntervalInHours: request.rotationIntervalInHours }),
        },
        generation: passwordGeneration(password, entry.id, context),
        secret: password,
      };
    },

    async rotate(decoy, _lifecycle, entry, context) {
      const password = newPassword();
      await context.directory.resetUserPassword(await objectIdOf(decoy, context), password);
      return { generation: passwordGeneration(password, entry.id, context), secret: password };
    },

    registered: (decoy) => decoy,
    // A reset password is gone: there is nothing to remove.
    removeGeneration: async () => {},

    async undoCreate(target, _entry, context) {
      if (target.kind !== 'user') return;
      const user = await context.directory.getUser(target.userPrincipalName);
      if (user !== undefined) await context.directory.deleteUser(user.id);
    },

    sweep: () => Promise.resolve(0),

    async retire(decoy, lifecycle, context) {
      // A registered user is the customer's own account: retiring the decoy leaves it alone.
      if (!lifecycle.createdByLure) return;
      const user = await context.directory.getUser(decoy.objectId ?? decoy.userPrincipalName);
      if (user !== undefined) await context.directory.deleteUser(user.id);
    },

    material(decoy, secret) {
      if (secret === undefined) return undefined;
      return {
        text: [
          `# Break-glass account for the backup appliance. Do not disable.`,
          `username: ${decoy.userPrincipalName}`,
          `password: ${secret}`,
          '',
          `az login --username '${decoy.userPrincipalName}' --password '${secret}' --allow-no-subscriptions`,
        ].join('\n'),
        advice:
          'Plant where an intruder looks for credentials: a runbook or wiki page, a script in a file share, a password-manager export. Never where a real person would use it.',
      };
    },
  },
};

function passwordGeneration(password: string, journalId: string, context: LifecycleContext): PasswordGeneration {
  return { kind: 'password', journalId, createdAt: context.now.toISOString(), fingerprint: fingerprintOf(password), hint: hintOf(password) };
}

async function objectIdOf(decoy: UserDecoy, context: LifecycleContext): Promise<string> {
  if (decoy.objectId !== undefined) return decoy.objectId;
  const user = await context.directory.getUser(decoy.userPrincipalName);
  if (user === undefined) throw new DirectoryError('GET /users/{id}', `decoy user ${decoy.userPrincipalName} does not exist in the tenant`, 404);
  return user.id;
}

/** A stable pick from a list: the same UPN always gets the same job title, so a resumed create matches. */
function hashIndex(text: string, length: number): number {
  let hash = 0;
  for (const character of text) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash % length;
}
