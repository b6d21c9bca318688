metadata name = 'Lure token logger for API Management'
metadata description = 'An azureEventHub logger on an existing API Management instance that writes TokenObservation records to Lure\'s token hub with the instance\'s managed identity. Pair it with infra/apim/token-observation-policy.xml.'

import { roleDefinitionIds } from 'roleDefinitions.bicep'

// Deployed into the API Management instance's resource group; the role on the token hub is granted by a
// nested deployment into the namespace's resource group.

@description('Required. Name of the existing API Management instance (in this deployment\'s resource group).')
param apimServiceName string

@description('Required. Name of Lure\'s Event Hubs namespace.')
param eventHubNamespaceName string

@description('Required. Resource group of Lure\'s Event Hubs namespace.')
param eventHubNamespaceResourceGroupName string

@description('Optional. Name of the token hub.')
param tokenHubName string = 'token'

@description('Optional. Logger id; the policy\'s log-to-eventhub logger-id must name it.')
param loggerName string = 'lure-token-observations'

@description('Optional. Client id of a user-assigned identity of the instance to log with; empty to use its system-assigned identity.')
param apimIdentityClientId string = ''

@description('Optional. Principal (object) id of that user-assigned identity; required with apimIdentityClientId.')
param apimIdentityPrincipalId string = ''

resource apim 'Microsoft.ApiManagement/service@2022-08-01' existing = {
  name: apimServiceName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: eventHubNamespaceName
  scope: resourceGroup(eventHubNamespaceResourceGroupName)
}

var useSystemAssignedIdentity = empty(apimIdentityClientId)

module tokenHubDataSender 'hubRoleAssignment.bicep' = {
  name: 'lure-apim-token-hub-sender'
  scope: resourceGroup(eventHubNamespaceResourceGroupName)
  params: {
    namespaceName: eventHubNamespaceName
    hubName: tokenHubName
    principalId: useSystemAssignedIdentity ? (apim.identity.?principalId ?? '') : apimIdentityPrincipalId
    roleDefinitionId: roleDefinitionIds.azureEventHubsDataSender
  }
}

// Managed-identity credentials for azureEventHub loggers exist from API version 2022-04-01-preview on
// (azure-docs api-management-howto-log-event-hubs.md); 2022-08-01 is the first GA version after it.
resource logger 'Microsoft.ApiManagement/service/loggers@2022-08-01' = {
  parent: apim
  name: loggerName
  dependsOn: [
    tokenHubDataSender
  ]
  properties: {
    loggerType: 'azureEventHub'
    description: 'Lure: one TokenObservation record per bearer token seen, signature stripped.'
    isBuffered: true
    credentials: {
      endpointAddress: split(split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0], '/')[0]
      identityClientId: useSystemAssignedIdentity ? 'SystemAssigned' : apimIdentityClientId
      name: tokenHubName
    }
  }
}

@description('Logger id to put in the policy\'s logger-id attribute.')
output loggerId string = logger.name
