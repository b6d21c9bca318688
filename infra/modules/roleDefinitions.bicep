metadata name = 'Lure role definitions'
metadata description = 'The built-in Azure roles Lure grants, by name. Imported wherever a role is assigned, so a GUID is written once.'

// GUIDs from the azure-docs built-in roles reference, as collected in shared/reference/infra.md §9.
@export()
@description('Built-in role definition GUIDs, keyed by role name.')
var roleDefinitionIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host storage: leases, Event Hubs checkpoints, the Flex deployment package
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Lure's own tables
  azureEventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde' // the three Event Hubs triggers
  azureEventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975' // the audit poller (exchange hub); API Management (token hub)
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault references in app settings
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // telemetry with Entra auth (Application Insights has local auth off); LureAlerts_CL rows through the data collection rule
}
