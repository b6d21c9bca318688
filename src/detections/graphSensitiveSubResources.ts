/**
 * Graph sub-resources of a user, application or service principal whose read is reconnaissance of that
 * object's secrets or reach, not routine directory lookup (directory tools read `/users/{id}` all day).
 * Names are lower-cased, as `parseGraphRequest` gives them.
 */
export const GRAPH_SENSITIVE_SUB_RESOURCES: readonly string[] = [
  'messages', // mail
  'mailfolders', // mail
  'mailboxsettings', // forwarding, auto-replies
  'authentication', // registered authentication methods
  'passwordcredentials', // client secrets (metadata)
  'keycredentials', // certificates
  'federatedidentitycredentials', // workload identity federation
  'owners', // who can change the object
  'approleassignments', // roles the object holds
  'approleassignedto', // who holds the object's roles
  'oauth2permissiongrants', // delegated consent
  'memberof', // groups and directory roles
  'transitivememberof',
];

export const GRAPH_SENSITIVE_SUB_RESOURCE_SET: ReadonlySet<string> = new Set(GRAPH_SENSITIVE_SUB_RESOURCES);
