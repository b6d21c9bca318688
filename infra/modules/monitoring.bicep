metadata name = 'Lure monitoring'
metadata description = 'A Log Analytics workspace (or an existing one) and a workspace-based Application Insights component that accepts only Entra-authenticated telemetry.'

@description('Required. Name of the Log Analytics workspace.')
param logAnalyticsWorkspaceName string

@description('Required. Name of the Application Insights component.')
param appInsightsName string

@description('Required. Azure region of both resources.')
param location string

@description('Optional. Tags for both resources.')
param tags object = {}

@description('Optional. Resource id of an existing Log Analytics workspace to use instead of creating one.')
param existingWorkspaceId string = ''

@description('Optional. Days the workspace keeps logs, when this module creates it.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = if (empty(existingWorkspaceId)) {
  name: logAnalyticsWorkspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: empty(existingWorkspaceId) ? workspace.id : existingWorkspaceId
    // Instrumentation-key ingestion is refused: the host authenticates with the managed identity
    // (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) and needs Monitoring Metrics Publisher on this component.
    DisableLocalAuth: true
  }
}

@description('Name of the Application Insights component.')
output appInsightsName string = appInsights.name

@description('Connection string of the Application Insights component (it carries no secret that works without Entra auth).')
output appInsightsConnectionString string = appInsights.properties.ConnectionString
