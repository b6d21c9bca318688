metadata name = 'Lure Event Hubs'
metadata description = 'A Standard namespace with Lure\'s three hubs (entra, exchange, token), Lure\'s consumer group on each, and the SAS rule Entra diagnostic settings stream with.'

@description('Required. Name of the Event Hubs namespace.')
@minLength(6)
@maxLength(50)
param name string

@description('Required. Azure region of the namespace.')
param location string

@description('Optional. Tags for the namespace.')
param tags object = {}

@description('Required. Names of the event hubs to create.')
param hubNames array

@description('Required. Consumer group created on every hub, for Lure\'s triggers alone.')
param consumerGroupName string

@description('Optional. A second consumer group on every hub for `npm start` on a laptop (LURE_LOCAL_CONSUMER_GROUP), so it never takes partitions from the triggers.')
param localConsumerGroupName string = 'lure-local'

@description('Optional. Partitions per hub (fixed after creation on Standard). Each Event Hubs function scales to at most one instance per partition.')
@minValue(1)
@maxValue(32)
param partitionCount int = 2

@description('Optional. Days each hub keeps events: how long an outage of Lure can last before events are lost.')
@minValue(1)
@maxValue(7)
param messageRetentionInDays int = 7

@description('Optional. Throughput units of the namespace.')
@minValue(1)
@maxValue(40)
param capacity int = 1

@description('Optional. SAS (local) authentication on the namespace. Lure never uses it, but the Entra diagnostic setting can only authenticate with a SAS rule (and Defender XDR streaming is assumed to): off, they deliver nothing. Turn it off only where no tenant stream writes to this namespace.')
param localAuthEnabled bool = true

@description('Optional. Name of the namespace authorization rule the Entra diagnostic setting references.')
param diagnosticsAuthorizationRuleName string = 'entra-diagnostics'

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: !localAuthEnabled
    minimumTlsVersion: '1.2'
    isAutoInflateEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource hubs 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = [for hubName in hubNames: {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: messageRetentionInDays
  }
}]

resource consumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = [for (hubName, i) in hubNames: {
  parent: hubs[i]
  name: consumerGroupName
  properties: {
    userMetadata: 'Lure: read by the ${hubName} trigger alone.'
  }
}]

resource localConsumerGroups 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = [for (hubName, i) in hubNames: {
  parent: hubs[i]
  name: localConsumerGroupName
  properties: {
    userMetadata: 'Lure: read by a local host (npm start) checking the deployment, never by the triggers.'
  }
}]

// microsoft.aadiam/diagnosticSettings takes an authorization rule id, not an identity; Azure Monitor documents
// that streaming needs Manage, Send and Listen on it, and the service refuses a rule scoped to one hub. This
// rule exists for that alone (no one else is given its keys); it works only while local authentication is on.
resource diagnosticsRule 'Microsoft.EventHub/namespaces/authorizationRules@2024-01-01' = {
  parent: namespace
  name: diagnosticsAuthorizationRuleName
  properties: {
    rights: [
      'Listen'
      'Send'
      'Manage'
    ]
  }
}

@description('Name of the namespace.')
output name string = namespace.name

@description('Resource id of the namespace (a workspace data export sends to it).')
output id string = namespace.id

@description('Host name of the namespace, <name>.servicebus.<the cloud\'s suffix> (from serviceBusEndpoint, so right in every cloud).')
output fullyQualifiedNamespace string = split(split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0], '/')[0]

@description('Resource id of the authorization rule for the Entra diagnostic setting.')
output diagnosticsAuthorizationRuleId string = diagnosticsRule.id
