metadata name = 'Lure role assignments'
metadata description = 'Every Azure role Lure\'s managed identity holds, each on the narrowest resource that works.'

import { roleDefinitionIds } from 'roleDefinitions.bicep'

@description('Required. Principal (object) id of Lure\'s user-assigned managed identity.')
param principalId string

@description('Required. Name of the storage account (host storage and Lure\'s tables).')
param storageAccountName string

@description('Required. Name of the Event Hubs namespace.')
param eventHubNamespaceName string

@description('Required. Name of the hub the audit poller writes to.')
param exchangeHubName string

@description('Required. Name of the Key Vault holding the alert secrets.')
param keyVaultName string

@description('Required. Name of the Application Insights component.')
param appInsightsName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubNamespaceName
}

resource exchangeHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = {
  parent: namespace
  name: exchangeHubName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleDefinitionIds.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, roleDefinitionIds.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.storageTableDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// On the namespace: the three triggers read every hub.
resource eventHubsDataReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, principalId, roleDefinitionIds.azureEventHubsDataReceiver)
  scope: namespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.azureEventHubsDataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// On the exchange hub alone: the pollAuditContent timer publishes Management Activity API records there.
resource exchangeHubDataSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(exchangeHub.id, principalId, roleDefinitionIds.azureEventHubsDataSender)
  scope: exchangeHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.azureEventHubsDataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleDefinitionIds.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roleDefinitionIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.monitoringMetricsPublisher)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
