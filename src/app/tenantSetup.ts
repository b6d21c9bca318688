import type { Decoy } from '../domain/decoys.js';
import type { Directory } from '../ports/directory.js';
import type { TenantAdministration } from '../ports/tenantAdministration.js';
import type { DecoyStore } from '../ports/store/decoyStore.js';
import type { LifecycleStore } from '../ports/store/lifecycleStore.js';

/** The administrative unit that holds the decoy users, and nothing else. */
export const DECOY_UNIT_NAME = 'Lure decoys';
/** The User Administrator role (template id), which password resets need in app-only calls. */
export const USER_ADMINISTRATOR_ROLE_ID = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

export interface SetupStep {
  readonly step: string;
  /** `done`: found in place; `applied`: made now; `pending`: would be made with `--apply`; `manual`: Graph cannot, the detail says how. */
  readonly state: 'done' | 'applied' | 'pending' | 'manual';
  readonly detail: string;
}

export interface TenantSetupInput {
  readonly store: DecoyStore & LifecycleStore;
  /** Graph as the administrator running `lure setup` (a Privileged Role Administrator), never as Lure. */
  readonly admin: TenantAdministration & Pick<Directory, 'getUser' | 'getSiteByUrl'>;
  /** Sites to hold decoy files (`--site`), besides those of the decoy files registered. */
  readonly sites?: readonly string[];
  /** Lure's managed identity: its service principal's object id and its client (app) id. */
  readonly lurePrincipalId: string;
  readonly lureAppId: string;
  readonly emailSender?: string;
  readonly selfPrincipalIds: readonly string[];
  /** Make what is missing; otherwise only say what would be made. */
  readonly apply: boolean;
}

/**
 * `lure setup`: the steps Bicep cannot take. With Graph, as an administrator: the hidden-membership
 * administrative unit for decoy users, User Administrator for Lure over that unit only, every registered
 * decoy user in it, Lure an owner of every decoy app it did not create, Lure granted `write` under
 * `Sites.Selected` on every site that holds (or is to hold) a decoy file. Exchange RBAC for Applications and
 * the Teams flow have no Graph API: their exact commands come out as `manual` steps, filled in with this
 * tenant's mailboxes. Idempotent: a second run finds everything `done`.
 */
export async function setUpTenant(input: TenantSetupInput): Promise<SetupStep[]> {
  const { admin, store, apply } = input;
  const steps: SetupStep[] = [];

  const units = await admin.findAdministrativeUnits(DECOY_UNIT_NAME);
  let unitId = units[0]?.id;
  if (units.length > 1) {
    steps.push({
      step: 'administrative unit',
      state: 'manual',
      detail: `${units.length} units are named ${DECOY_UNIT_NAME} (${units.map((unit) => unit.id).join(', ')}): keep one, so Lure's role covers the one its decoys are in`,
    });
  }
  if (units[0] !== undefined && units[0].visibility !== 'HiddenMembership') {
    steps.push({
      step: 'administrative unit',
      state: 'manual',
      detail: `${DECOY_UNIT_NAME} does not hide its membership: anyone who can read the directory can list the decoys. Recreate it with hidden membership`,
    });
  }
  if (unitId !== undefined) steps.push({ step: 'administrative unit', state: 'done', detail: `${DECOY_UNIT_NAME} (${unitId})` });
  else if (apply) {
    unitId = await admin.createAdministrativeUnit(DECOY_UNIT_NAME, 'Decoy users of Lure. Add nothing else: Lure can reset the passwords of its members.');
    steps.push({ step: 'administrative unit', state: 'applied', detail: `${DECOY_UNIT_NAME} created with hidden membership (${unitId})` });
  } else steps.push({ step: 'administrative unit', state: 'pending', detail: `create ${DECOY_UNIT_NAME} with hidden membership` });

  const scope = unitId === undefined ? undefined : `/administrativeUnits/${unitId}`;
  const assignments = await admin.listRoleAssignments(input.lurePrincipalId);
  if (assignments.some((assignment) => assignment.roleDefinitionId === USER_ADMINISTRATOR_ROLE_ID && assignment.directoryScopeId === '/')) {
    steps.push({
      step: 'password-reset role',
      state: 'manual',
      detail: 'Lure holds User Administrator over the whole tenant: remove that assignment; it needs the role over the decoy unit only',
    });
  }
  if (
    scope !== undefined &&
    assignments.some((assignment) => assignment.roleDefinitionId === USER_ADMINISTRATOR_ROLE_ID && assignment.directoryScopeId === scope)
  ) {
    steps.push({ step: 'password-reset role', state: 'done', detail: `User Administrator over ${DECOY_UNIT_NAME} only` });
  } else if (apply && scope !== undefined) {
    await admin.createRoleAssignment(input.lurePrincipalId, USER_ADMINISTRATOR_ROLE_ID, scope);
    steps.push({ step: 'password-reset role', state: 'applied', detail: `User Administrator over ${DECOY_UNIT_NAME} only` });
  } else
    steps.push({ step: 'password-reset role', state: 'pending', detail: `assign User Administrator to ${input.lurePrincipalId} over ${DECOY_UNIT_NAME} only` });

  const decoys = await store.listDecoys();
  const members = unitId === undefined ? new Set<string>() : await admin.listAdministrativeUnitMembers(unitId);
  const decoyUserIds = new Set<string>();
  for (const decoy of decoys) {
    if (decoy.kind !== 'user') continue;
    const objectId = decoy.objectId ?? (await admin.getUser(decoy.userPrincipalName))?.id;
    if (objectId !== undefined) decoyUserIds.add(objectId);
    const step = `decoy user ${decoy.id} in the unit`;
    if (objectId === undefined) steps.push({ step, state: 'manual', detail: `${decoy.userPrincipalName} does not exist in the tenant` });
    else if (members.has(objectId)) steps.push({ step, state: 'done', detail: decoy.userPrincipalName });
    else if (apply && unitId !== undefined) {
      await admin.addAdministrativeUnitMember(unitId, objectId);
      steps.push({ step, state: 'applied', detail: decoy.userPrincipalName });
    } else steps.push({ step, state: 'pending', detail: `add ${decoy.userPrincipalName}` });
  }

  // Lure can reset the password of every member: anything but a registered decoy user must leave the unit.
  const strangers = [...members].filter((id) => !decoyUserIds.has(id));
  if (strangers.length > 0) {
    steps.push({
      step: 'administrative unit holds only decoys',
      state: 'manual',
      detail: `remove ${strangers.length} member(s) that are not registered decoy users: ${strangers.join(', ')}`,
    });
  }

  const lifecycles = new Map((await store.listDecoyLifecycles()).map((lifecycle) => [lifecycle.decoyId, lifecycle]));
  for (const decoy of decoys) {
    if (decoy.kind !== 'application' || lifecycles.get(decoy.id)?.createdByLure === true) continue;
    const step = `Lure owns decoy app ${decoy.id}`;
    if (decoy.objectId === undefined) {
      steps.push({ step, state: 'manual', detail: 'register the application object id (objectId) of the decoy so its owner can be checked' });
      continue;
    }
    const owners = await admin.listApplicationOwners(decoy.objectId);
    if (owners.has(input.lurePrincipalId)) steps.push({ step, state: 'done', detail: decoy.appId });
    else if (apply) {
      await admin.addApplicationOwner(decoy.objectId, input.lurePrincipalId);
      steps.push({ step, state: 'applied', detail: `${decoy.appId}: Application.ReadWrite.OwnedBy now covers it` });
    } else steps.push({ step, state: 'pending', detail: `make Lure an owner of ${decoy.appId}` });
  }

  steps.push(...(await siteSteps(input, decoys)));

  const mailboxes = [...new Set(decoys.flatMap((decoy) => (decoy.kind === 'mailItem' ? [decoy.mailbox.toLowerCase()] : [])))].sort();
  // Addresses go into PowerShell and OPATH strings: anything beyond a plain address is left out, not escaped.
  const unsafe = [...mailboxes, ...(input.emailSender === undefined ? [] : [input.emailSender])].filter((address) => !SAFE_ADDRESS.test(address));
  if (unsafe.length > 0) {
    steps.push({
      step: 'Exchange RBAC for Applications',
      state: 'manual',
      detail: `left out of the commands below, as they hold characters PowerShell would read: ${unsafe.map((address) => JSON.stringify(address)).join(', ')}; add them by hand`,
    });
  }
  steps.push({
    step: 'Exchange RBAC for Applications',
    state: 'manual',
    detail: exchangeCommands(
      { ...input, ...(input.emailSender !== undefined && !SAFE_ADDRESS.test(input.emailSender) ? { emailSender: undefined } : {}) },
      mailboxes.filter((address) => SAFE_ADDRESS.test(address)),
    ),
  });
  steps.push({
    step: 'Teams',
    state: 'manual',
    detail:
      'In the channel: Workflows → "Post to a channel when a webhook request is received"; put its URL in Key Vault as the Teams secret (teamsWebhookUrl in the deployment), then run `npx lure test-alert --channel teams`. The flow runs as its creator: use an account that stays.',
  });
  const self = new Set(input.selfPrincipalIds.map((id) => id.toLowerCase()));
  steps.push(
    self.has(input.lurePrincipalId.toLowerCase()) && self.has(input.lureAppId.toLowerCase())
      ? { step: 'LURE_SELF_PRINCIPAL_IDS', state: 'done', detail: "names Lure's identity" }
      : {
          step: 'LURE_SELF_PRINCIPAL_IDS',
          state: 'manual',
          detail: `set LURE_SELF_PRINCIPAL_IDS=${input.lurePrincipalId},${input.lureAppId} (the deployment does)`,
        },
  );
  return steps;
}

/** Roles under which Lure can upload, rewrite and delete its decoy files; `read` would let it only watch. */
const WRITING_SITE_ROLES = new Set(['write', 'owner', 'fullcontrol']);

/**
 * Lure's `Sites.Selected` grant on each site named or holding a registered decoy file: `write`, the least
 * that uploads and deletes files. The app role itself (`Sites.Selected` on Graph) comes with the deployment.
 */
async function siteSteps(input: TenantSetupInput, decoys: readonly Decoy[]): Promise<SetupStep[]> {
  const urls = new Map<string, string>();
  for (const url of [...(input.sites ?? []), ...decoys.flatMap((decoy) => (decoy.kind === 'file' ? [decoy.siteUrl] : []))]) {
    const key = url.trim().replace(/\/+$/, '').toLowerCase();
    if (!urls.has(key)) urls.set(key, url.trim().replace(/\/+$/, ''));
  }
  const steps: SetupStep[] = [];
  for (const url of urls.values()) {
    const step = `Sites.Selected on ${url}`;
    const site = await input.admin.getSiteByUrl(url);
    if (site === undefined) {
      steps.push({ step, state: 'manual', detail: 'no such site, or the account running setup cannot see it (it needs Sites.FullControl.All to grant)' });
      continue;
    }
    const granted = (await input.admin.listSitePermissions(site.id)).filter((permission) =>
      permission.applicationIds.some((id) => id.toLowerCase() === input.lureAppId.toLowerCase()),
    );
    if (granted.some((permission) => permission.roles.some((role) => WRITING_SITE_ROLES.has(role.toLowerCase())))) {
      steps.push({ step, state: 'done', detail: `Lure may write in ${site.webUrl}` });
    } else if (input.apply) {
      // A grant Lure has already (`read`, say) is raised, not doubled.
      const [existing] = granted;
      if (existing === undefined) await input.admin.grantSitePermission(site.id, { id: input.lureAppId, displayName: 'Lure' }, ['write']);
      else await input.admin.updateSitePermissionRoles(site.id, existing.id, ['write']);
      steps.push({ step, state: 'applied', detail: `write granted to ${input.lureAppId} on ${site.webUrl} only` });
    } else {
      const only = granted.length > 0 ? ` (it has ${granted.flatMap((permission) => permission.roles).join(', ') || 'no role'}, which cannot upload)` : '';
      steps.push({ step, state: 'pending', detail: `grant ${input.lureAppId} write on ${site.webUrl}${only}` });
    }
  }
  return steps;
}

/** A plain mail address: nothing PowerShell or OPATH could read as code (`$`, backticks, double quotes). */
const SAFE_ADDRESS = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** Exchange Online PowerShell that scopes Lure's mail access to the decoy mailboxes and the alert sender. */
function exchangeCommands(input: Omit<TenantSetupInput, 'emailSender'> & { readonly emailSender?: string | undefined }, mailboxes: readonly string[]): string {
  const quote = (text: string) => text.replaceAll("'", "''");
  const filter = (addresses: readonly string[]) => addresses.map((address) => `PrimarySmtpAddress -eq '${quote(address)}'`).join(' -or ');
  const lines = ['Connect-ExchangeOnline', `New-ServicePrincipal -AppId ${input.lureAppId} -ObjectId ${input.lurePrincipalId} -DisplayName 'Lure'`];
  const [firstMailbox] = mailboxes;
  if (firstMailbox !== undefined) {
    lines.push(
      `New-ManagementScope -Name 'Lure decoy mailboxes' -RecipientRestrictionFilter "${filter(mailboxes)}"`,
      `New-ManagementRoleAssignment -App ${input.lureAppId} -Role 'Application Mail.ReadWrite' -CustomResourceScope 'Lure decoy mailboxes'`,
      `Test-ServicePrincipalAuthorization -Identity ${input.lureAppId} -Resource '${quote(firstMailbox)}'`,
    );
  }
  if (input.emailSender !== undefined) {
    lines.push(
      `New-ManagementScope -Name 'Lure alert sender' -RecipientRestrictionFilter "${filter([input.emailSender.toLowerCase()])}"`,
      `New-ManagementRoleAssignment -App ${input.lureAppId} -Role 'Application Mail.Send' -CustomResourceScope 'Lure alert sender'`,
    );
  }
  lines.push(
    "# The filters match primary SMTP addresses: where a decoy mailbox's differs from the name registered, use it instead.",
    '# Never grant Mail.* to Lure in Entra: a tenant-wide grant adds to these scopes.',
  );
  return lines.join('\n');
}
