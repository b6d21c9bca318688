metadata name = 'Event hub role assignment'
metadata description = 'One role on one event hub, for a principal deployed elsewhere (API Management in another resource group).'

@description('Required. Name of the Event Hubs namespace (in this module\'s resource group).')
param namespaceName string

@description('Required. Name of the event hub.')
param hubName string

@description('Required. Principal (object) id the role is granted to.')
param principalId string

@description('Required. GUID of the built-in role, from roleDefinitions.bicep.')
param roleDefinitionId string

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' existing = {
  name: namespaceName
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' existing = {
  parent: namespace
  name: hubName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hub.id, principalId, roleDefinitionId)
  scope: hub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
