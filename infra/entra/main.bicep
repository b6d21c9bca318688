metadata name = 'Lure in Entra ID'
metadata description = 'The Lure API app registration and its service principal, and the application permissions Lure\'s managed identity needs: Microsoft Graph (decoy users and apps) and the Office 365 Management APIs (the audit poller).'

// Microsoft Graph Bicep extension (GA July 2025, types v1.0 1.0.0, Bicep >= 0.36.1; bicepconfig.json here
// names it). Microsoft's "what's new" for Graph Bicep says national clouds are supported since January
// 2025; not tried here in US Government or China (infra/README.md has the Graph PowerShell fallback).
//
// Deploy after infra/main.bicep, into any resource group, as a user holding Privileged Role
// Administrator (to grant application permissions) and Application Administrator or Cloud Application
// Administrator (to create the app registration):
//   az deployment group create -g <rg> -f infra/entra/main.bicep -p lureIdentityPrincipalId=<identityPrincipalId>
//
// Not here, by design: any Mail.* permission. A Graph application permission is tenant-wide, and Exchange
// RBAC for Applications cannot narrow it; Lure's mail access is granted in Exchange Online instead, scoped
// to the decoy mailboxes and the alert sender (infra/README.md). Not here, because Graph Bicep cannot:
// directory-role assignments (User Administrator over the decoy administrative unit) and decoy users
// (users are read-only in Graph Bicep).

extension microsoftGraphV1

@description('Required. Principal (object) id of Lure\'s managed identity (output identityPrincipalId of infra/main.bicep).')
param lureIdentityPrincipalId string

@description('Optional. Immutable unique name of the Lure API app registration (its idempotency key in Graph Bicep).')
param apiAppUniqueName string = 'lure-api'

@description('Optional. Display name of the Lure API app registration.')
param apiAppDisplayName string = 'Lure API'

@description('Optional. Let Lure create and delete decoy users (Graph User.ReadWrite.All). When false Lure gets User.Read.All, and you create decoy users yourself and register them.')
param allowDecoyUserCreation bool = true

@description('Optional. Clients pre-authorised for the API\'s delegated scope (a person\'s token without a consent prompt): by default the Azure CLI and Azure PowerShell.')
param preAuthorizedClientIds array = [
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46' // Azure CLI
  '1950a258-227b-4e31-a9cf-717495945fc2' // Azure PowerShell
]

@description('Optional. Redirect URIs of the Lure console (SPA), e.g. https://<functionAppHostName>/.')
param consoleRedirectUris array = []

@description('Optional. Grant ActivityFeed.Read on the Office 365 Management APIs for the pollAuditContent timer. False when Defender XDR streams Exchange audit instead (LURE_AUDIT_CONTENT_TYPES=none).')
param grantManagementActivityApi bool = true

// Fixed ids: role assignments made to users and apps point at them, so they never change.
var apiAppRoles = [
  {
    id: 'ab73f58b-926a-4286-8884-38c84575fdf0'
    value: 'Lure.Admin'
    displayName: 'Lure administrator'
    description: 'Manage decoys and alerts through the Lure admin API.'
    allowedMemberTypes: [
      'User'
      'Application'
    ]
    isEnabled: true
  }
  {
    id: 'edc6c79e-f77a-43db-a1f5-4012580207ed'
    value: 'Lure.Reader'
    displayName: 'Lure reader'
    description: 'Read decoys, alerts and status through the Lure admin API.'
    allowedMemberTypes: [
      'User'
      'Application'
    ]
    isEnabled: true
  }
]

// What a person's token carries besides their roles: the one scope, which only admits them; the roles decide.
var userScope = {
  id: '33b72f1d-10a1-4253-a5cb-161710862545'
  value: 'access_as_user'
  // Admin consent only: no one can consent for themselves to an app that would then act with their role.
  type: 'Admin'
  isEnabled: true
  adminConsentDisplayName: 'Use Lure as the signed-in user'
  adminConsentDescription: 'Call the Lure admin API as the signed-in user; what they may do follows their Lure.Admin or Lure.Reader role.'
  userConsentDisplayName: 'Use Lure as you'
  userConsentDescription: 'Call the Lure admin API as you; what you may do follows your Lure role.'
}

// Least privilege for what Lure does through Graph (shared/reference/infra.md §4.1; README "What Lure's
// identity needs"). Password resets also need the User Administrator directory role scoped to the decoy
// administrative unit, and Application.ReadWrite.OwnedBy reaches only apps Lure's identity owns.
var userPermission = allowDecoyUserCreation ? 'User.ReadWrite.All' : 'User.Read.All'
var graphPermissionValues = [
  userPermission
  'User-PasswordProfile.ReadWrite.All'
  'Application.ReadWrite.OwnedBy'
  // Reaches no site until one is granted to Lure by name (lure setup --site): never Sites.ReadWrite.All.
  'Sites.Selected'
]

var microsoftGraphAppId = '00000003-0000-0000-c000-000000000000'
var office365ManagementApisAppId = 'c5393580-f805-4401-95e8-94b7a6ef2fc2'

// Twice, because Graph refuses, in the request that declares a scope, a pre-authorisation naming it
// (microsoftgraph/microsoft-graph-docs#20177), and api://<appId> cannot name the app id before it exists.
// The first pass declares the roles and the scope; the second, the same registration by its unique name,
// adds the identifier URI and the pre-authorised clients, now that both can be named.
module apiAppWithScope 'apiApplication.bicep' = {
  name: 'lure-api-app-scope'
  params: {
    uniqueName: apiAppUniqueName
    displayName: apiAppDisplayName
    appRoles: apiAppRoles
    userScope: userScope
    spaRedirectUris: consoleRedirectUris
  }
}

module apiApp 'apiApplication.bicep' = {
  name: 'lure-api-app'
  params: {
    uniqueName: apiAppUniqueName
    displayName: apiAppDisplayName
    appRoles: apiAppRoles
    userScope: userScope
    identifierUris: [
      'api://${apiAppWithScope.outputs.appId}'
    ]
    // The console signs in as this same registration, so it is pre-authorised for its own scope too.
    preAuthorizedClientIds: concat(preAuthorizedClientIds, [apiAppWithScope.outputs.appId])
    spaRedirectUris: consoleRedirectUris
  }
}

resource apiServicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: apiApp.outputs.appId
  // Only users and apps given Lure.Admin or Lure.Reader can get a token for the API at all.
  appRoleAssignmentRequired: true
}

resource microsoftGraph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: microsoftGraphAppId
}

resource office365ManagementApis 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: office365ManagementApisAppId
}

var microsoftGraphAppRoles = microsoftGraph.appRoles
var office365ManagementApisAppRoles = office365ManagementApis.appRoles

resource graphPermissions 'Microsoft.Graph/appRoleAssignedTo@v1.0' = [for permission in graphPermissionValues: {
  appRoleId: filter(microsoftGraphAppRoles, role => role.value == permission)[0].id
  principalId: lureIdentityPrincipalId
  resourceId: microsoftGraph.id
}]

resource activityFeedRead 'Microsoft.Graph/appRoleAssignedTo@v1.0' = if (grantManagementActivityApi) {
  appRoleId: filter(office365ManagementApisAppRoles, role => role.value == 'ActivityFeed.Read')[0].id
  principalId: lureIdentityPrincipalId
  resourceId: office365ManagementApis.id
}

@description('Client id of the Lure API app registration: main.bicep parameter apiClientId (LURE_API_CLIENT_ID).')
output apiClientId string = apiApp.outputs.appId

@description('The delegated scope people request (az account get-access-token --scope api://<apiClientId>/access_as_user).')
output apiUserScope string = 'api://${apiApp.outputs.appId}/${userScope.value}'

@description('Object id of the Lure API service principal, for assigning Lure.Admin and Lure.Reader.')
output apiServicePrincipalId string = apiServicePrincipal.id

@description('Microsoft Graph application permissions granted to Lure\'s identity.')
output grantedGraphPermissions array = graphPermissionValues
