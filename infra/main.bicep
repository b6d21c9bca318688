metadata name = 'Lure'
metadata description = 'Lure in one resource group: a Flex Consumption Function App running as a user-assigned identity, its storage, Event Hubs, Key Vault and monitoring, with identity-only access everywhere. Entra (infra/entra) and tenant (infra/tenant) deployments follow; see infra/README.md.'

targetScope = 'resourceGroup'

@description('Required. Name of the environment (e.g. prod); it seeds every resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Optional. Azure region of every resource.')
param location string = resourceGroup().location

@description('Optional. Tags added to every resource.')
param tags object = {}

@description('Optional. Sovereign cloud of the protected tenant (LURE_CLOUD): public, usgov (GCC High), usgovdod (DoD) or china. Defaults from the Azure environment; a DoD tenant must say usgovdod.')
@allowed([
  'public'
  'usgov'
  'usgovdod'
  'china'
])
param cloud string = environment().name == 'AzureChinaCloud' ? 'china' : (environment().name == 'AzureUSGovernment' ? 'usgov' : 'public')

@description('Optional. Client id of the Lure API app registration (output apiClientId of infra/entra/main.bicep). Empty until that deployment has run; the admin API answers 503 meanwhile.')
param apiClientId string = ''

@secure()
@description('Optional. Teams Workflows "When a Teams webhook request is received" URL. Kept in Key Vault; empty for no Teams alerts.')
param teamsWebhookUrl string = ''

@secure()
@description('Optional. SIEM/SOAR webhook URL (https). Kept in Key Vault; give it with webhookSigningKey or not at all.')
param webhookUrl string = ''

@secure()
@description('Optional. HMAC-SHA256 key (at least 32 characters) the webhook receiver verifies Lure-Signature with. Kept in Key Vault.')
param webhookSigningKey string = ''

@description('Optional. Mailbox alert e-mail is sent from through Graph sendMail (scoped with Exchange RBAC for Applications). Give it with emailRecipients or not at all.')
param emailSender string = ''

@description('Optional. Addresses alert e-mail goes to.')
param emailRecipients array = []

@description('Optional. Verified domain of the decoy users Lure creates when a request names no UPN.')
param decoyUserDomain string = ''

@description('Optional. Management Activity API content types the pollAuditContent timer copies to the exchange hub, comma-separated; none when Defender XDR streams to that hub instead.')
param auditContentTypes string = 'Audit.Exchange,Audit.AzureActiveDirectory'

@description('Optional. Partitions per event hub (fixed after creation). Each Event Hubs function scales to at most one instance per partition.')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 2

@description('Optional. Days each event hub keeps events.')
@minValue(1)
@maxValue(7)
param eventHubRetentionInDays int = 7

@description('Optional. Keep SAS (local) authentication on the Event Hubs namespace. Lure never uses it; the Entra diagnostic setting streams with a SAS rule and is reported not to deliver without it. See infra/README.md before changing.')
param eventHubsLocalAuthEnabled bool = false

@description('Optional. Most instances the Function App scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. Memory of each Function App instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Optional. Name of an existing API Management instance to send TokenObservation records from; empty for none.')
param apimServiceName string = ''

@description('Optional. Resource group of that API Management instance.')
param apimResourceGroupName string = resourceGroup().name

@description('Optional. Client id of a user-assigned identity of the API Management instance to log with; empty for its system-assigned identity.')
param apimIdentityClientId string = ''

@description('Optional. Principal (object) id of that user-assigned identity.')
param apimIdentityPrincipalId string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, location, environmentName))
var allTags = union(tags, { 'azd-env-name': environmentName, application: 'lure' })

var functionAppName = '${abbrs.functionApp}${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var hubNames = {
  entra: 'entra'
  exchange: 'exchange'
  token: 'token'
}
var consumerGroupName = 'lure'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${abbrs.managedIdentity}${resourceToken}'
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'lure-monitoring'
  params: {
    logAnalyticsWorkspaceName: '${abbrs.logAnalyticsWorkspace}${resourceToken}'
    appInsightsName: '${abbrs.appInsights}${resourceToken}'
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'lure-storage'
  params: {
    name: '${abbrs.storageAccount}${resourceToken}'
    location: location
    tags: allTags
    deploymentContainerName: deploymentContainerName
  }
}

module eventHubs 'modules/eventHubs.bicep' = {
  name: 'lure-event-hubs'
  params: {
    name: '${abbrs.eventHubNamespace}${resourceToken}'
    location: location
    tags: allTags
    hubNames: [
      hubNames.entra
      hubNames.exchange
      hubNames.token
    ]
    consumerGroupName: consumerGroupName
    partitionCount: eventHubPartitionCount
    messageRetentionInDays: eventHubRetentionInDays
    localAuthEnabled: eventHubsLocalAuthEnabled
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'lure-key-vault'
  params: {
    name: '${abbrs.keyVault}${resourceToken}'
    location: location
    tags: allTags
    teamsWebhookUrl: teamsWebhookUrl
    webhookUrl: webhookUrl
    webhookSigningKey: webhookSigningKey
  }
}

module roleAssignments 'modules/roleAssignments.bicep' = {
  name: 'lure-role-assignments'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.outputs.name
    eventHubNamespaceName: eventHubs.outputs.name
    exchangeHubName: hubNames.exchange
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'lure-function-app'
  // The host starts on first deployment: its storage, hubs, vault and telemetry roles must exist by then.
  dependsOn: [
    roleAssignments
  ]
  params: {
    name: functionAppName
    planName: '${abbrs.appServicePlan}${resourceToken}'
    location: location
    tags: allTags
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    identityPrincipalId: identity.properties.principalId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    tableServiceUri: storage.outputs.tableServiceUri
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    eventHubsFullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    hubNames: hubNames
    consumerGroupName: consumerGroupName
    cloud: cloud
    apiClientId: apiClientId
    keyVaultReferenceUris: keyVault.outputs.referenceUris
    teamsWebhookConfigured: !empty(teamsWebhookUrl)
    webhookUrlConfigured: !empty(webhookUrl)
    webhookSigningKeyConfigured: !empty(webhookSigningKey)
    emailSender: emailSender
    emailRecipients: emailRecipients
    decoyUserDomain: decoyUserDomain
    auditContentTypes: auditContentTypes
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module apimTokenLogger 'modules/apimTokenLogger.bicep' = if (!empty(apimServiceName)) {
  name: 'lure-apim-token-logger'
  scope: resourceGroup(apimResourceGroupName)
  params: {
    apimServiceName: apimServiceName
    eventHubNamespaceName: eventHubs.outputs.name
    eventHubNamespaceResourceGroupName: resourceGroup().name
    tokenHubName: hubNames.token
    apimIdentityClientId: apimIdentityClientId
    apimIdentityPrincipalId: apimIdentityPrincipalId
  }
}

@description('Name of the Function App (for az functionapp deployment).')
output functionAppName string = functionApp.outputs.name

@description('Default host name of the Function App; the admin API is under https://<host>/api.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('Host name of the Event Hubs namespace.')
output eventHubsFullyQualifiedNamespace string = eventHubs.outputs.fullyQualifiedNamespace

@description('Resource id of the namespace authorization rule for infra/tenant/diagnosticSettings.bicep.')
output entraDiagnosticsAuthorizationRuleId string = eventHubs.outputs.diagnosticsAuthorizationRuleId

@description('Principal (object) id of Lure\'s managed identity: the parameter of infra/entra/main.bicep and the $lure of the manual steps.')
output identityPrincipalId string = identity.properties.principalId

@description('Client (app) id of Lure\'s managed identity.')
output identityClientId string = identity.properties.clientId

@description('Name of the Key Vault holding the alert secrets.')
output keyVaultName string = keyVault.outputs.name
