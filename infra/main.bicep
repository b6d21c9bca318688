metadata name = 'Lure'
metadata description = 'Lure in one resource group: a Flex Consumption Function App running as a user-assigned identity, its storage, Event Hubs, Key Vault and monitoring, with identity-only access everywhere. Entra (infra/entra) and tenant (infra/tenant) deployments follow; see infra/README.md.'

targetScope = 'resourceGroup'

@description('Required. Name of the environment (e.g. prod); it seeds every resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

// Flex Consumption is offered only in some regions: a region without it fails here, before anything is
// deployed, rather than midway. The list is Microsoft's Flex quickstart's (Azure-Samples/
// functions-quickstart-typescript-azd); no US Government or China region appears in any Microsoft list
// (infra/README.md "Regions"). `az functionapp list-flexconsumption-locations` in your cloud is the
// authority: add a region it lists.
@description('Optional. Azure region of every resource: one that offers Flex Consumption.')
@metadata({ azd: { type: 'location' } })
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
param location string = resourceGroup().location

@description('Optional. Tags added to every resource.')
param tags object = {}

@description('Optional. Sovereign cloud of the protected tenant (LURE_CLOUD): public, usgov (GCC High), usgovdod (DoD) or china; empty to follow the Azure environment. A DoD tenant must say usgovdod.')
@allowed([
  ''
  'public'
  'usgov'
  'usgovdod'
  'china'
])
param cloud string = ''

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

@description('Optional. Addresses alert e-mail goes to, comma-separated.')
param emailRecipients string = ''

@description('Optional. Verified domain of the decoy users Lure creates when a request names no UPN.')
param decoyUserDomain string = ''

@description('Optional. Management Activity API content types the pollAuditContent timer copies to the exchange hub, comma-separated; none when Defender XDR streams to that hub instead.')
param auditContentTypes string = 'Audit.Exchange,Audit.AzureActiveDirectory'

@description('Optional. Whether the tenant diagnostic setting (infra/tenant/diagnosticSettings.bicep) streams to the entra hub: its categories are then expected (LURE_EXPECTED_SOURCES), and one that never delivers raises source.silent. False only for a tenant without Entra ID P1/P2.')
param entraLogsExpected bool = true

@description('Optional. Whether the tenant deployment also streams the preview category MicrosoftServicePrincipalSignInLogs (its previewCategoriesEnabled): then it is expected too.')
param entraPreviewCategoriesEnabled bool = false

@description('Optional. Entra categories the tenant deployment leaves out (its excludedCategories), comma-separated: they are not expected.')
param excludedEntraCategories string = ''

@description('Optional. Whether Defender XDR streams CloudAppEvents to the exchange hub (configured in the Defender portal): the defender stream is then expected.')
param defenderStreamingEnabled bool = false

@description('Optional. Partitions per event hub (fixed after creation). Each Event Hubs function scales to at most one instance per partition.')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 2

@description('Optional. Days each event hub keeps events.')
@minValue(1)
@maxValue(7)
param eventHubRetentionInDays int = 7

@description('Optional. SAS (local) authentication on the Event Hubs namespace. Lure never uses it; the Entra diagnostic setting can only authenticate with a namespace SAS rule (Manage, Send, Listen), so with it off the entra hub receives nothing. See infra/README.md before changing.')
param eventHubsLocalAuthEnabled bool = true

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

@description('Optional. Resource id of an existing Log Analytics workspace (often Sentinel\'s) for Application Insights; empty to create one.')
param logAnalyticsWorkspaceId string = ''

@description('Optional. Days the Log Analytics workspace keeps logs, when this deployment creates it.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Optional. Write every alert, at each change, to LureAlerts_CL in the Log Analytics workspace (logAnalyticsWorkspaceId, or the one this deployment creates) through a data collection rule.')
param alertsTableEnabled bool = false

@description('Optional. The workspace has Microsoft Sentinel: deploy the analytics rule (one Sentinel alert per Lure alert, grouped by Lure\'s incident), a hunting query and a workbook. Needs alertsTableEnabled.')
param sentinelContentEnabled bool = false

@description('Optional. Days LureAlerts_CL keeps rows (-1 for the workspace\'s retention).')
@minValue(-1)
@maxValue(730)
param alertsTableRetentionInDays int = 90

@description('Optional. Send rows through a data collection endpoint rather than the rule\'s own endpoint; the default uses one outside the public cloud, where kind Direct rules are not documented.')
param alertsTableUsesDataCollectionEndpoint bool = environment().name != 'AzureCloud'

@description('Optional. Feed Lure from the Log Analytics workspace (logAnalyticsWorkspaceId, which already holds the tenant\'s Entra and Microsoft 365 tables) through data export rules, instead of a diagnostic setting of its own (step 3). The workspace must be in this deployment\'s region, and export sends with the namespace\'s keys (eventHubsLocalAuthEnabled true); every table listed must exist in the workspace.')
param workspaceExportEnabled bool = false

@description('Optional. Name of an existing API Management instance to send TokenObservation records from; empty for none.')
param apimServiceName string = ''

@description('Optional. Resource group of that API Management instance.')
param apimResourceGroupName string = resourceGroup().name

@description('Optional. Client id of a user-assigned identity of the API Management instance to log with; empty for its system-assigned identity.')
param apimIdentityClientId string = ''

@description('Optional. Principal (object) id of that user-assigned identity.')
param apimIdentityPrincipalId string = ''

// GCC High and DoD share the AzureUSGovernment environment; only the parameter tells them apart.
var lureCloud = !empty(cloud) ? cloud : (environment().name == 'AzureChinaCloud' ? 'china' : (environment().name == 'AzureUSGovernment' ? 'usgov' : 'public'))

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

// What Lure should hear from, as deployed: a stream named here that never delivers raises source.silent.
// ADFSSignInLogs is streamed but not expected (it carries data only with AD FS and Connect Health).
var entraCategories = loadJsonContent('entraCategories.json')
var excludedEntraCategoryList = split(excludedEntraCategories, ',')
var expectedEntraCategories = entraLogsExpected
  ? filter(
      concat(entraCategories.streamed, entraPreviewCategoriesEnabled ? entraCategories.preview : []),
      category => !contains(entraCategories.notExpected, category) && !contains(excludedEntraCategoryList, category)
    )
  : []
var expectedSources = join(
  concat(
    expectedEntraCategories,
    // China documents no Management Activity API host, so the poller does not run there.
    auditContentTypes == 'none' || lureCloud == 'china' ? [] : ['exchange'],
    defenderStreamingEnabled ? ['defender'] : [],
    empty(apimServiceName) ? [] : ['token']
  ),
  ','
)

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
    existingWorkspaceId: logAnalyticsWorkspaceId
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

// The workspace the alerts table lives in: the one named, wherever it is, or the one this deployment made.
var workspaceName = empty(logAnalyticsWorkspaceId) ? '${abbrs.logAnalyticsWorkspace}${resourceToken}' : last(split(logAnalyticsWorkspaceId, '/'))
var workspaceScope = empty(logAnalyticsWorkspaceId)
  ? resourceGroup()
  : resourceGroup(split(logAnalyticsWorkspaceId, '/')[2], split(logAnalyticsWorkspaceId, '/')[4])

module sentinel 'modules/sentinel.bicep' = if (alertsTableEnabled) {
  name: 'lure-sentinel'
  scope: workspaceScope
  dependsOn: [
    monitoring
  ]
  params: {
    workspaceName: workspaceName
    principalId: identity.properties.principalId
    names: {
      rule: '${abbrs.dataCollectionRule}${resourceToken}'
      endpoint: '${abbrs.dataCollectionEndpoint}${resourceToken}'
    }
    tags: allTags
    retentionInDays: alertsTableRetentionInDays
    useDataCollectionEndpoint: alertsTableUsesDataCollectionEndpoint
    sentinelEnabled: sentinelContentEnabled
  }
}

module workspaceExport 'modules/workspaceExport.bicep' = if (workspaceExportEnabled && !empty(logAnalyticsWorkspaceId)) {
  name: 'lure-workspace-export'
  scope: workspaceScope
  params: {
    workspaceName: workspaceName
    namespaceId: eventHubs.outputs.id
    hubNames: hubNames
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
    storageServiceUris: storage.outputs.serviceUris
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    eventHubsFullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    hubNames: hubNames
    consumerGroupName: consumerGroupName
    cloud: lureCloud
    apiClientId: apiClientId
    keyVaultReferenceUris: keyVault.outputs.referenceUris
    teamsWebhookConfigured: !empty(teamsWebhookUrl)
    webhookUrlConfigured: !empty(webhookUrl)
    webhookSigningKeyConfigured: !empty(webhookSigningKey)
    emailSender: emailSender
    emailRecipients: emailRecipients
    sentinelEndpoint: alertsTableEnabled ? sentinel!.outputs.ingestionEndpoint : ''
    sentinelRuleId: alertsTableEnabled ? sentinel!.outputs.ruleImmutableId : ''
    decoyUserDomain: decoyUserDomain
    auditContentTypes: auditContentTypes
    expectedSources: expectedSources
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

@description('Resource id of the storage account (a role for lure status from a laptop is assigned on it).')
output storageAccountId string = storage.outputs.id

@description('Table service URI of Lure\'s state (LURE_TABLE_SERVICE_URI), for lure status and lure setup from a laptop.')
output tableServiceUri string = storage.outputs.serviceUris.table

@description('The streams Lure expects (LURE_EXPECTED_SOURCES): lure status lists any that never delivered.')
output expectedSources string = expectedSources

// The names azd and its hooks read (azd saves every output into the environment).
@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('The Function App azd deploys service api to.')
output SERVICE_API_NAME string = functionApp.outputs.name
