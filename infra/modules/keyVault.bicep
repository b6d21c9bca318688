metadata name = 'Lure Key Vault'
metadata description = 'An RBAC-authorised vault holding the alert destinations that are secrets, each only when given.'

@description('Required. Name of the vault (3-24 characters, globally unique; kept 90 days after deletion because purge protection is on).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region of the vault.')
param location string

@description('Optional. Tags for the vault.')
param tags object = {}

@secure()
@description('Optional. Teams Workflows webhook URL (it carries a signature). Stored only when not empty.')
param teamsWebhookUrl string = ''

@secure()
@description('Optional. SIEM/SOAR webhook URL. Stored only when not empty.')
param webhookUrl string = ''

@secure()
@description('Optional. HMAC key the webhook receiver verifies Lure-Signature with. Stored only when not empty.')
param webhookSigningKey string = ''

var secretNames = {
  teamsWebhookUrl: 'lure-teams-webhook-url'
  webhookUrl: 'lure-webhook-url'
  webhookSigningKey: 'lure-webhook-signing-key'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsWebhookUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(teamsWebhookUrl)) {
  parent: vault
  name: secretNames.teamsWebhookUrl
  properties: {
    value: teamsWebhookUrl
    contentType: 'text/uri-list'
  }
}

resource webhookUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookUrl)) {
  parent: vault
  name: secretNames.webhookUrl
  properties: {
    value: webhookUrl
    contentType: 'text/uri-list'
  }
}

resource webhookSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookSigningKey)) {
  parent: vault
  name: secretNames.webhookSigningKey
  properties: {
    value: webhookSigningKey
    contentType: 'text/plain'
  }
}

@description('Name of the vault.')
output name string = vault.name

// Versionless URIs: App Service picks up a rotated value within a day, or at once on any config change.
@description('Versionless URI of each (possible) secret, for @Microsoft.KeyVault(SecretUri=…) references.')
output referenceUris object = {
  teamsWebhookUrl: '${vault.properties.vaultUri}secrets/${secretNames.teamsWebhookUrl}/'
  webhookUrl: '${vault.properties.vaultUri}secrets/${secretNames.webhookUrl}/'
  webhookSigningKey: '${vault.properties.vaultUri}secrets/${secretNames.webhookSigningKey}/'
}
