metadata name = 'Lure Entra diagnostic setting'
metadata description = 'Streams every Entra sign-in category, the directory audit log and Microsoft Graph activity to Lure\'s entra hub.'

// Tenant-scope deployment (microsoft.aadiam/diagnosticSettings has one API version, 2017-04-01):
//   az deployment tenant create -l <region> -f infra/tenant/diagnosticSettings.bicep \
//     -p eventHubAuthorizationRuleId=<entraDiagnosticsAuthorizationRuleId output of infra/main.bicep>
//
// Requirements:
// - Licence: Microsoft Entra ID P1 or P2 (diagnostic settings, and Microsoft Graph activity logs, need it).
//   ADFSSignInLogs carry data only with AD FS and Connect Health. MicrosoftServicePrincipalSignInLogs is
//   described as a preview category by secondary sources; if the deployment refuses a category, remove it
//   from the list and note it (Lure raises source.silent only for categories that have delivered before).
// - Entra role: Security Administrator (least privileged; Global Administrator also works).
// - Azure: rights to deploy at tenant root scope ("/"), e.g. Owner at root after "Elevate access", removed
//   afterwards; and Microsoft.EventHub/namespaces/authorizationRules/listKeys/action on the rule below.
// - The subscription and namespace must belong to the tenant whose logs are streamed.
//
// Caveat: the setting authenticates with the SAS authorization rule it names (Azure Monitor documents that
// streaming needs Manage, Send and Listen on it), not with an identity. infra/main.bicep creates that rule
// (entra-diagnostics), but its namespace has local (SAS) authentication disabled by default, and users report
// that diagnostic settings then deliver nothing (MicrosoftDocs/azure-docs#119932). Not verified in a tenant:
// if the entra hub stays empty a few hours after this deployment (the first records can take up to a day),
// redeploy infra/main.bicep with eventHubsLocalAuthEnabled=true. Lure itself keeps using its identity.

targetScope = 'tenant'

@description('Required. Resource id of the Event Hubs namespace authorization rule (output entraDiagnosticsAuthorizationRuleId of infra/main.bicep).')
param eventHubAuthorizationRuleId string

@description('Optional. Event hub the records go to (LURE_ENTRA_HUB_NAME).')
param eventHubName string = 'entra'

@description('Optional. Name of the diagnostic setting.')
param name string = 'lure-entra'

// Every sign-in category (Lure indexes each issuance; a token used with no sign-in record is an alert),
// the directory audit log (changes to decoys) and Graph activity (decoy touches, token uses).
var categories = [
  'SignInLogs'
  'NonInteractiveUserSignInLogs'
  'ServicePrincipalSignInLogs'
  'ManagedIdentitySignInLogs'
  'MicrosoftServicePrincipalSignInLogs'
  'ADFSSignInLogs'
  'AuditLogs'
  'MicrosoftGraphActivityLogs'
]

resource entraToLure 'Microsoft.AADIAM/diagnosticSettings@2017-04-01' = {
  name: name
  properties: {
    eventHubAuthorizationRuleId: eventHubAuthorizationRuleId
    eventHubName: eventHubName
    logs: [for category in categories: {
      category: category
      enabled: true
    }]
  }
}
