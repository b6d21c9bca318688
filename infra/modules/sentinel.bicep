import { roleDefinitionIds } from 'roleDefinitions.bicep'

metadata name = 'Lure Sentinel'
metadata description = 'LureAlerts_CL in a Log Analytics workspace, the data collection rule Lure writes it through, and, on a Sentinel workspace, an analytics rule that raises one alert per Lure alert, grouped by Lure\'s incident, with a hunting query and a workbook.'

@description('Required. Name of the Log Analytics workspace (in this module\'s resource group).')
param workspaceName string

@description('Required. Principal id of Lure\'s identity, which writes rows through the rule.')
param principalId string

@description('Required. Names of the data collection rule and, when one is used, endpoint.')
param names object

@description('Optional. Tags for the rule and endpoint.')
param tags object = {}

@description('Optional. Days LureAlerts_CL keeps rows (4 to 730; -1 for the workspace\'s retention).')
@minValue(-1)
@maxValue(730)
param retentionInDays int = 90

@description('Optional. Send through a data collection endpoint instead of the rule\'s own logs ingestion endpoint (for clouds or networks where a kind Direct rule has none).')
param useDataCollectionEndpoint bool = false

@description('Optional. The workspace has Microsoft Sentinel: deploy the analytics rule, the hunting query and the workbook.')
param sentinelEnabled bool = false

@description('Optional. Whether the analytics rule is enabled when deployed.')
param analyticsRuleEnabled bool = true

// One list of columns, written from the channel's row builder (npm run sentinel:columns): the table, the
// stream and the transform cannot drift from the rows Lure sends.
var columns = loadJsonContent('../sentinel/lureAlertsColumns.json')
var tableName = 'LureAlerts_CL'
var streamName = 'Custom-${tableName}'
var destinationName = 'lureWorkspace'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource table 'Microsoft.OperationalInsights/workspaces/tables@2023-09-01' = {
  parent: workspace
  name: tableName
  properties: {
    plan: 'Analytics'
    retentionInDays: retentionInDays
    schema: {
      name: tableName
      description: 'Alerts raised by Lure (decoys and forged-token signals), one row per revision of each alert.'
      // The table API spells the time type dateTime; the stream declaration, datetime.
      columns: [for column in columns: {
        name: column.name
        type: column.type == 'datetime' ? 'dateTime' : column.type
        description: column.description
      }]
    }
  }
}

resource endpoint 'Microsoft.Insights/dataCollectionEndpoints@2023-03-11' = if (useDataCollectionEndpoint) {
  name: names.endpoint
  location: workspace.location
  tags: tags
  properties: {
    networkAcls: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

resource rule 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: names.rule
  // A rule writes to workspaces in its own region.
  location: workspace.location
  tags: tags
  // Direct gives the rule its own logs ingestion endpoint; with an endpoint set, rows go through that instead.
  kind: 'Direct'
  dependsOn: [
    table
  ]
  properties: {
    dataCollectionEndpointId: useDataCollectionEndpoint ? endpoint.id : null
    streamDeclarations: {
      '${streamName}': {
        columns: [for column in columns: {
          name: column.name
          type: column.type
        }]
      }
    }
    destinations: {
      logAnalytics: [
        {
          name: destinationName
          workspaceResourceId: workspace.id
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          streamName
        ]
        destinations: [
          destinationName
        ]
        // Only the declared columns reach the table, by name.
        transformKql: 'source | project ${join(map(columns, column => column.name), ', ')}'
        outputStream: streamName
      }
    ]
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(rule.id, principalId, roleDefinitionIds.monitoringMetricsPublisher)
  scope: rule
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionIds.monitoringMetricsPublisher)
  }
}

resource analyticsRule 'Microsoft.SecurityInsights/alertRules@2025-06-01' = if (sentinelEnabled) {
  name: guid(workspace.id, 'lure-alerts')
  scope: workspace
  kind: 'Scheduled'
  dependsOn: [
    table
  ]
  properties: {
    displayName: 'Lure: decoy touched or forged token used'
    description: 'One alert per Lure alert (LureAlerts_CL), grouped into incidents by Lure\'s IncidentId. Any touch of a decoy is an attacker or a mistake; a forged-token signal is a token no sign-in issued or signed by a key not the tenant\'s.'
    enabled: analyticsRuleEnabled
    query: loadTextContent('../sentinel/analyticsRule.kql')
    queryFrequency: 'PT5M'
    // TimeGenerated is the detection time: a first row delivered late must still be in the period.
    queryPeriod: 'P14D'
    severity: 'High'
    triggerOperator: 'GreaterThan'
    triggerThreshold: 0
    suppressionEnabled: false
    suppressionDuration: 'PT5H'
    tactics: [
      'InitialAccess'
      'CredentialAccess'
      'Collection'
      'Persistence'
      'DefenseEvasion'
      'LateralMovement'
      'Discovery'
    ]
    techniques: [
      'T1078'
      'T1550'
      'T1606'
      'T1114'
      'T1098'
      'T1528'
    ]
    eventGroupingSettings: {
      aggregationKind: 'AlertPerResult'
    }
    alertDetailsOverride: {
      alertDisplayNameFormat: 'Lure: {{AlertTitle}}'
      alertDescriptionFormat: '{{Summary}} (Lure detection {{Detection}})'
      alertSeverityColumnName: 'SentinelSeverity'
      alertDynamicProperties: [
        {
          alertProperty: 'Techniques'
          value: 'Techniques'
        }
      ]
    }
    customDetails: {
      LureAlertId: 'AlertId'
      LureIncidentId: 'IncidentId'
      Detection: 'Detection'
      DecoyId: 'DecoyId'
      AppId: 'AppId'
      UniqueTokenId: 'UniqueTokenId'
      SigningKeyId: 'SigningKeyId'
      EvidenceCount: 'EvidenceCount'
    }
    entityMappings: [
      {
        entityType: 'Account'
        fieldMappings: [
          {
            identifier: 'AadUserId'
            columnName: 'UserId'
          }
          {
            identifier: 'FullName'
            columnName: 'UserPrincipalName'
          }
          {
            identifier: 'AadTenantId'
            columnName: 'AadTenantId'
          }
        ]
      }
      {
        entityType: 'IP'
        fieldMappings: [
          {
            identifier: 'Address'
            columnName: 'IPAddress'
          }
        ]
      }
      {
        // CloudApplication's AppId is Defender for Cloud Apps' number: an Entra app id is its name here.
        entityType: 'CloudApplication'
        fieldMappings: [
          {
            identifier: 'Name'
            columnName: 'AppId'
          }
        ]
      }
      {
        entityType: 'Mailbox'
        fieldMappings: [
          {
            identifier: 'MailboxPrimaryAddress'
            columnName: 'MailboxAddress'
          }
        ]
      }
      {
        entityType: 'URL'
        fieldMappings: [
          {
            identifier: 'Url'
            columnName: 'ResourceUri'
          }
        ]
      }
    ]
    incidentConfiguration: {
      createIncident: true
      groupingConfiguration: {
        enabled: true
        reopenClosedIncident: false
        lookbackDuration: 'P1D'
        matchingMethod: 'Selected'
        groupByEntities: []
        groupByAlertDetails: []
        groupByCustomDetails: [
          'LureIncidentId'
        ]
      }
    }
  }
}

resource huntingQuery 'Microsoft.OperationalInsights/workspaces/savedSearches@2020-08-01' = if (sentinelEnabled) {
  parent: workspace
  name: 'lure-alerts-latest'
  properties: {
    category: 'Hunting Queries'
    displayName: 'Lure: alerts of the last 14 days, latest revision'
    query: loadTextContent('../sentinel/huntingQuery.kql')
    version: 2
    tags: [
      {
        name: 'description'
        value: 'Every Lure alert at its latest revision, with the decoy, actor and token it names.'
      }
    ]
  }
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = if (sentinelEnabled) {
  name: guid(workspace.id, 'lure-workbook')
  location: workspace.location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Lure'
    category: 'sentinel'
    sourceId: workspace.id
    serializedData: loadTextContent('../sentinel/workbook.json')
  }
}

@description('Where Lure sends rows: the rule\'s own logs ingestion endpoint, or the endpoint\'s.')
output ingestionEndpoint string = useDataCollectionEndpoint ? endpoint!.properties.logsIngestion.endpoint : rule.properties.endpoints.logsIngestion

@description('The data collection rule\'s immutable id (dcr-…).')
output ruleImmutableId string = rule.properties.immutableId

@description('The stream Lure writes.')
output streamName string = streamName
