import type { Decoy } from '../domain/decoys.js';

/** The decoys `npm start` loads on first start, so a newcomer sees real alerts (in the demo tenant contoso.example). */
export const DEMO_DECOYS: readonly Decoy[] = [
  {
    id: 'd-user-1',
    kind: 'user',
    enabled: true,
    userPrincipalName: 'svc-backup@contoso.example',
    objectId: '6f1c2a9e-4b7d-4e21-9a53-0c8d2f1e7b44',
    memo: 'Password planted in \\\\fs01\\it\\backup-notes.txt',
  },
  {
    id: 'd-user-2',
    kind: 'user',
    enabled: false,
    userPrincipalName: 'svc-scanner@contoso.example',
    objectId: '2d7e9a41-8c3b-4f5e-a6d7-1b2c3d4e5f60',
    memo: 'Disabled while the red team runs its password spray: hits are kept, never notified',
  },
  {
    id: 'd-app-1',
    kind: 'application',
    enabled: true,
    appId: '3c9f8a21-5d4e-4f6a-b1c2-7e8d9f0a1b2c',
    servicePrincipalId: 'a4b5c6d7-e8f9-4a0b-8c1d-2e3f4a5b6c7d',
    objectId: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e',
    credentialKeyIds: ['0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a', '1e2f3a4b-5c6d-4e7f-9a8b-0c1d2e3f4a5b'],
    memo: 'Client secret planted in the legacy deploy pipeline variables',
  },
  {
    id: 'd-mail-1',
    kind: 'mailItem',
    enabled: true,
    mailbox: 'finance-archive@contoso.example',
    internetMessageId: '<lure-7f3a91c2@contoso.example>',
    itemId: 'LgAAAAC7lureDemoItem0001AAAAAAEMAAAB',
    alternateItemIds: [],
    alternateFolderIds: [],
    folderId: 'LgAAAAC7lureDemoFolder01AAAAAAEMAAAA',
    dedicatedFolder: true,
    memo: '"VPN break-glass credentials" in the IT Archive folder',
  },
  {
    id: 'd-token-1',
    kind: 'token',
    enabled: true,
    kid: 'lure-demo-kid-01',
    jti: '9d3c7b1a-lure-demo-honeytoken',
    memo: 'Honeytoken in appsettings.Production.json of the old intranet repo',
  },
];
