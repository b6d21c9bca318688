metadata name = 'Lure Entra diagnostic setting'
metadata description = 'Streams the Entra sign-in categories, the directory audit log and Microsoft Graph activity to Lure\'s entra hub.'

// Tenant-scope deployment (microsoft.aadiam/diagnosticSettings has one API version, 2017-04-01):
//   az deployment tenant create -l <region> -f infra/tenant/diagnosticSettings.bicep \
//     -p eventHubAuthorizationRuleId=<entraDiagnosticsAuthorizationRuleId output of infra/main.bicep>
//
// Requirements:
// - Licence: Microsoft Entra ID P1 or P2 (diagnostic settings, and Microsoft Graph activity logs, need it).
//   ADFSSignInLogs carry data only with AD FS and Connect Health (streamed, but not expected by Lure).
// - Entra role: Security Administrator (least privileged; Global Administrator also works).
// - Azure: rights to deploy at tenant root scope ("/"), e.g. Owner at root after "Elevate access", removed
//   afterwards; and Microsoft.EventHub/namespaces/authorizationRules/listKeys/action on the rule below.
// - The subscription and namespace must belong to the tenant whose logs are streamed.
//
// Authentication: the setting names a namespace authorization rule (SAS), the only way
// microsoft.aadiam/diagnosticSettings reaches Event Hubs: it has no identity property. Azure Monitor's
// diagnostic-settings destinations table: "Streaming to event hubs requires Manage, Send, and Listen
// permissions" on that rule, and ListKey for whoever creates the setting; the service refuses a rule of one
// hub (namespaces/eventhubs/authorizationRules). So infra/main.bicep keeps the namespace's local (SAS)
// authentication on and creates the rule entra-diagnostics; Lure itself reads with its identity.

targetScope = 'tenant'

@description('Required. Resource id of the Event Hubs namespace authorization rule (output entraDiagnosticsAuthorizationRuleId of infra/main.bicep).')
param eventHubAuthorizationRuleId string

@description('Optional. Event hub the records go to (LURE_ENTRA_HUB_NAME).')
param eventHubName string = 'entra'

@description('Optional. Name of the diagnostic setting.')
param name string = 'lure-entra'

@description('Optional. Also stream MicrosoftServicePrincipalSignInLogs (sign-ins of Microsoft\'s own services). Described as a preview needing an opt-in: a tenant without it fails the whole deployment. Give main.bicep the same value.')
param previewCategoriesEnabled bool = false

@description('Optional. Categories to leave out, for a tenant or cloud that lacks one (a category the service does not offer fails the whole deployment). Give main.bicep the same list (excludedEntraCategories).')
param excludedCategories array = []

// Every sign-in category (Lure indexes each issuance; a token used with no sign-in record is an alert),
// the directory audit log (changes to decoys) and Graph activity (decoy touches, token uses). main.bicep
// reads the same file for the streams Lure expects.
var entraCategories = loadJsonContent('../entraCategories.json')
var categories = filter(concat(entraCategories.streamed, previewCategoriesEnabled ? entraCategories.preview : []), category => !contains(excludedCategories, category))

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

@description('The categories streamed.')
output categories array = categories
