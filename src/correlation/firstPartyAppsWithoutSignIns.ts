/**
 * First-party Microsoft service apps whose Graph and Exchange calls carry tokens that no tenant sign-in log
 * issues (service-to-service tokens minted inside Microsoft). Microsoft documents that "activity logs from
 * Microsoft applications might not all have matching sign-in log entries". Uses by these apps are never
 * judged by `token.issuance.missing`.
 *
 * This is a blind spot, and a wide one: Storm-0558's forged tokens were used through Outlook on the web,
 * which is Office 365 Exchange Online below. Remove an entry (LURE_ISSUANCE_JUDGE_APP_IDS) once shadow
 * mode shows its uses do match issuances in your tenant.
 */
export const FIRST_PARTY_APPS_WITHOUT_SIGN_INS: readonly { readonly appId: string; readonly name: string }[] = [
  { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  { appId: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  { appId: '00000004-0000-0ff1-ce00-000000000000', name: 'Skype for Business Online' },
  { appId: '00000006-0000-0ff1-ce00-000000000000', name: 'Microsoft Office 365 Portal' },
  { appId: '0000000a-0000-0000-c000-000000000000', name: 'Microsoft Intune' },
  { appId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', name: 'Microsoft Teams Services' },
];
