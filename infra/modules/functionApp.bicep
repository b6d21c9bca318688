metadata name = 'Lure Function App'
metadata description = 'Lure on a Flex Consumption plan (Node 22), running as its user-assigned identity, with every app setting Lure and its host read.'

@description('Required. Name of the Function App (also its host name).')
param name string

@description('Required. Name of the Flex Consumption plan (one app per plan).')
param planName string

@description('Required. Azure region of the plan and the app.')
param location string

@description('Optional. Tags for the plan and the app.')
param tags object = {}

@description('Required. Resource id of Lure\'s user-assigned managed identity.')
param identityResourceId string

@description('Required. Client id of Lure\'s user-assigned managed identity.')
param identityClientId string

@description('Required. Principal (object) id of Lure\'s user-assigned managed identity.')
param identityPrincipalId string

@description('Required. Service URIs of the storage account (blob, queue, table; no trailing slashes), in this cloud: host storage and Lure\'s tables.')
param storageServiceUris object

@description('Required. Blob container the app package is deployed to.')
param deploymentContainerName string

@description('Required. Connection string of the Application Insights component.')
param appInsightsConnectionString string

@description('Required. Host name of the Event Hubs namespace.')
param eventHubsFullyQualifiedNamespace string

@description('Required. Event hub names by source: entra, exchange and token.')
param hubNames object

@description('Required. Consumer group Lure\'s triggers read with.')
param consumerGroupName string

@description('Required. Sovereign cloud of the tenant: public, usgov, usgovdod or china.')
param cloud string

@description('Optional. Client id of the Lure API app registration; without it the admin API answers 503.')
param apiClientId string = ''

@description('Required. Versionless Key Vault secret URIs by name: teamsWebhookUrl, webhookUrl, webhookSigningKey.')
param keyVaultReferenceUris object

@description('Optional. Whether the vault holds the Teams Workflows URL.')
param teamsWebhookConfigured bool = false

@description('Optional. Whether the vault holds the webhook URL.')
param webhookUrlConfigured bool = false

@description('Optional. Whether the vault holds the webhook signing key.')
param webhookSigningKeyConfigured bool = false

@description('Optional. Mailbox alert e-mail is sent from; empty for no e-mail.')
param emailSender string = ''

@description('Optional. Addresses alert e-mail goes to, comma-separated.')
param emailRecipients string = ''

@description('Optional. Logs Ingestion endpoint LureAlerts_CL is written through; empty for none.')
param sentinelEndpoint string = ''

@description('Optional. Immutable id of the data collection rule LureAlerts_CL is written through.')
param sentinelRuleId string = ''

@description('Optional. Domain of the decoy users Lure creates; empty to require a UPN on every create.')
param decoyUserDomain string = ''

@description('Required. Management Activity API content types the audit poller copies, or none.')
param auditContentTypes string

@description('Required. Sources and Entra categories the deployment wired, comma-separated (LURE_EXPECTED_SOURCES): one that never delivers raises source.silent.')
param expectedSources string

@description('Optional. Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Optional. NCRONTAB schedule (six fields) of the resolveTokenChecks timer: every minute, so a due token check waits a minute at most.')
param tokenCheckSchedule string = '0 * * * * *'

@description('Optional. Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd deploys the code of service api (azure.yaml) to the site with this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageServiceUris.blob}/${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// Flex Consumption sets the worker runtime, extension version and package mount itself: none of
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_NODE_DEFAULT_VERSION,
// WEBSITE_RUN_FROM_PACKAGE or WEBSITE_CONTENT* may be set (test/unit/infra checks it).
//
// Host storage by service URI, never AzureWebJobsStorage__accountName: from an account name the Event Hubs
// extension builds its checkpoint store on the public core.windows.net suffix, so in US Government and China
// every trigger would fail (Azure/azure-sdk-for-net#57543). Only blob is used (leases, checkpoints, timers,
// the package), so only blob has a role; queue and table are named so no part of the host guesses a suffix.
var hostSettings = {
  AzureWebJobsStorage__blobServiceUri: storageServiceUris.blob
  AzureWebJobsStorage__queueServiceUri: storageServiceUris.queue
  AzureWebJobsStorage__tableServiceUri: storageServiceUris.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  LURE_EVENTHUB__fullyQualifiedNamespace: eventHubsFullyQualifiedNamespace
  LURE_EVENTHUB__credential: 'managedidentity'
  LURE_EVENTHUB__clientId: identityClientId
  // The resolveTokenChecks timer binds its schedule to this: a due token check is judged within a minute.
  LURE_TOKEN_CHECK_SCHEDULE: tokenCheckSchedule
}

var lureSettings = {
  LURE_STORE: 'table'
  LURE_TABLE_SERVICE_URI: storageServiceUris.table
  AZURE_CLIENT_ID: identityClientId
  LURE_TENANT_ID: tenant().tenantId
  LURE_CLOUD: cloud
  // Object id and app (client) id: audit records name Lure's identity by either.
  LURE_SELF_PRINCIPAL_IDS: '${identityPrincipalId},${identityClientId}'
  LURE_ENTRA_HUB_NAME: hubNames.entra
  LURE_EXCHANGE_HUB_NAME: hubNames.exchange
  LURE_TOKEN_HUB_NAME: hubNames.token
  LURE_CONSUMER_GROUP: consumerGroupName
  LURE_AUDIT_CONTENT_TYPES: auditContentTypes
  LURE_EXPECTED_SOURCES: expectedSources
}

var apiSettings = empty(apiClientId) ? {} : { LURE_API_CLIENT_ID: apiClientId }

var teamsSettings = teamsWebhookConfigured ? {
  LURE_TEAMS_WEBHOOK_URL: '@Microsoft.KeyVault(SecretUri=${keyVaultReferenceUris.teamsWebhookUrl})'
} : {}

// Each setting only when its value exists: a reference to a missing secret resolves to its own literal
// text, which would pass for a signing key. Given alone, the URL or the key stops Lure at start with an
// error naming the other; so do the e-mail sender and recipients.
var webhookUrlSettings = webhookUrlConfigured ? {
  LURE_WEBHOOK_URL: '@Microsoft.KeyVault(SecretUri=${keyVaultReferenceUris.webhookUrl})'
} : {}

var webhookSigningKeySettings = webhookSigningKeyConfigured ? {
  LURE_WEBHOOK_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVaultReferenceUris.webhookSigningKey})'
} : {}

var emailSenderSettings = empty(emailSender) ? {} : { LURE_EMAIL_SENDER: emailSender }

var emailRecipientSettings = empty(emailRecipients) ? {} : { LURE_EMAIL_RECIPIENTS: emailRecipients }

// Both or neither: Lure refuses to start with one of them.
var sentinelSettings = empty(sentinelEndpoint) || empty(sentinelRuleId) ? {} : {
  LURE_SENTINEL_ENDPOINT: sentinelEndpoint
  LURE_SENTINEL_RULE_ID: sentinelRuleId
}

var decoySettings = empty(decoyUserDomain) ? {} : { LURE_DECOY_USER_DOMAIN: decoyUserDomain }

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(hostSettings, lureSettings, apiSettings, teamsSettings, webhookUrlSettings, webhookSigningKeySettings, emailSenderSettings, emailRecipientSettings, sentinelSettings, decoySettings)
}

@description('Name of the Function App.')
output name string = site.name

@description('Default host name of the Function App.')
output defaultHostName string = site.properties.defaultHostName
