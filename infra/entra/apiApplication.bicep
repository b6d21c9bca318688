metadata name = 'Lure API app registration'
metadata description = 'The Lure API app registration: app roles, the delegated scope people sign in with, the clients pre-authorised for it, and the console\'s SPA redirect URIs. Deployed twice by main.bicep (see there).'

extension microsoftGraphV1

@description('Required. Immutable unique name of the app registration (its idempotency key in Graph Bicep).')
param uniqueName string

@description('Required. Display name of the app registration.')
param displayName string

@description('Required. App roles (Lure.Admin, Lure.Reader), with their fixed ids.')
param appRoles array

@description('Required. The delegated scope (access_as_user), with its fixed id.')
param userScope object

@description('Optional. Identifier URIs (api://<appId> once the app id is known).')
param identifierUris array = []

@description('Optional. Client ids pre-authorised for the delegated scope: they get a person\'s token without a consent prompt.')
param preAuthorizedClientIds array = []

@description('Optional. Redirect URIs of the web console (SPA, authorization code with PKCE).')
param spaRedirectUris array = []

resource apiApp 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  identifierUris: identifierUris
  api: {
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      userScope
    ]
    preAuthorizedApplications: [for clientId in preAuthorizedClientIds: {
      appId: clientId
      delegatedPermissionIds: [
        userScope.id
      ]
    }]
  }
  spa: {
    redirectUris: spaRedirectUris
  }
  appRoles: appRoles
}

@description('Client (app) id of the registration.')
output appId string = apiApp.appId
