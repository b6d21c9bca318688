metadata name = 'Lure storage'
metadata description = 'One storage account, reached only with Entra identities: Functions host storage, the Flex deployment container and Lure\'s tables.'

@description('Required. Name of the storage account (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region of the account.')
param location string

@description('Optional. Tags for the account.')
param tags object = {}

@description('Required. Name of the blob container Flex Consumption deploys the app package to.')
param deploymentContainerName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Blob endpoint of the account, with its trailing slash.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

// Built rather than read from primaryEndpoints.table, which ends in a slash the Tables client would double.
@description('Table service URI of the account, without a trailing slash.')
output tableServiceUri string = 'https://${storage.name}.table.${environment().suffixes.storage}'
