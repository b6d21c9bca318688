metadata name = 'Lure workspace export'
metadata description = 'Feeds Lure from a Log Analytics workspace that already holds the tenant\'s logs: data export rules send the Entra tables to the entra hub and the Microsoft 365 tables to the exchange hub, instead of a diagnostic setting of Lure\'s own.'

@description('Required. Name of the Log Analytics workspace (in this module\'s resource group).')
param workspaceName string

@description('Required. Resource id of Lure\'s Event Hubs namespace (in the workspace\'s region). Export sends with the namespace\'s keys: keep eventHubsLocalAuthEnabled true.')
param namespaceId string

@description('Required. The hubs the rules write to: entra and exchange.')
param hubNames object

// Each table to the hub whose function reads its rows (src/normalize/fromLogAnalytics.ts names the tables).
var entraTables = [
  'SigninLogs'
  'AADNonInteractiveUserSignInLogs'
  'AADServicePrincipalSignInLogs'
  'AADManagedIdentitySignInLogs'
  'AuditLogs'
  'MicrosoftGraphActivityLogs'
]
var exchangeTables = [
  'OfficeActivity'
  'CloudAppEvents'
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource entraExport 'Microsoft.OperationalInsights/workspaces/dataExports@2020-08-01' = {
  parent: workspace
  name: 'lure-entra'
  properties: {
    enable: true
    destination: {
      resourceId: namespaceId
      metaData: {
        eventHubName: hubNames.entra
      }
    }
    tableNames: entraTables
  }
}

resource exchangeExport 'Microsoft.OperationalInsights/workspaces/dataExports@2020-08-01' = {
  parent: workspace
  name: 'lure-exchange'
  properties: {
    enable: true
    destination: {
      resourceId: namespaceId
      metaData: {
        eventHubName: hubNames.exchange
      }
    }
    tableNames: exchangeTables
  }
}
