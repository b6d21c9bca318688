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

@description('Resource id of the storage account.')
output id string = storage.id


// Built from the cloud's storage suffix (core.windows.net, core.usgovcloudapi.net, core.chinacloudapi.cn),
// without a trailing slash, which the Tables client would double.
@description('Service URIs of the account by service (blob, queue, table), in this cloud, without trailing slashes.')
output serviceUris object = {
  blob: 'https://${storage.name}.blob.${environment().suffixes.storage}'
  queue: 'https://${storage.name}.queue.${environment().suffixes.storage}'
  table: 'https://${storage.name}.table.${environment().suffixes.storage}'
}
