import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromDefenderStreaming } from '../../../src/normalize/fromDefenderStreaming.js';
import { fromSharePointAudit } from '../../../src/normalize/fromSharePointAudit.js';
import { normalizeRecord } from '../../../src/normalize/normalizeRecord.js';
import { expectEvent, expectSkip } from '../../helpers/outcomes.js';

// Our own SharePoint audit records (Management Activity API, RecordType 6), in the shape formats.md gives.
const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const download = {
  AppAccessContext: {
    AADSessionId: '7e6d5c4b-3a29-4817-8615-0f1e2d3c4b5a',
    ClientAppId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    CorrelationId: 'c0ffee00-0000-4000-8000-000000000001',
    IssuedAtTime: '2026-11-24T07:58:12',
    UniqueTokenId: 'q1W2e3R4t5Y6u7I8o9P0aA',
  },
  CreationTime: '2026-11-24T13:10:44',
  Id: 'f11e0000-0000-4000-8000-000000000001',
  Operation: 'FileDownloaded',
  OrganizationId: TENANT,
  RecordType: 6,
  UserKey: 'i:0h.f|membership|10032001a2b3c4d5@live.com',
  UserType: 0,
  Version: 1,
  Workload: 'SharePoint',
  ClientIP: '203.0.113.77',
  UserId: 'Mallory@contoso.example',
  EventSource: 'SharePoint',
  ItemType: 'File',
  ListItemUniqueId: '6f0c2a9e-4b1d-4c8e-9a7f-3e2d1c0b9a81',
  UserAgent: 'python-requests/2.32.3',
  SiteUrl: 'https://contoso.sharepoint.com/sites/finance/',
  SourceRelativeUrl: 'Shared Documents/Payroll',
  SourceFileName: 'Q3 payroll export.xlsx',
  ObjectId: 'https://contoso.sharepoint.com/sites/finance/Shared%20Documents/Payroll/Q3%20payroll%20export.xlsx',
};

describe('fromSharePointAudit', () => {
  it('maps a download exactly: who, from where, with which token, and every form of the file', () => {
    const event = expectEvent(normalizeRecord(download), 'fileOperation');
    assert.deepEqual(event, {
      kind: 'fileOperation',
      source: 'exchange',
      recordType: 'FileDownloaded',
      recordId: 'f11e0000-0000-4000-8000-000000000001',
      time: '2026-11-24T13:10:44.000Z',
      tenantId: TENANT,
      actor: {
        userPrincipalName: 'Mallory@contoso.example',
        appId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
        ipAddress: '203.0.113.77',
        userAgent: 'python-requests/2.32.3',
      },
      token: { uniqueTokenId: 'q1W2e3R4t5Y6u7I8o9P0aA', sessionId: '7e6d5c4b-3a29-4817-8615-0f1e2d3c4b5a', issuedAt: '2026-11-24T07:58:12.000Z' },
      operation: 'FileDownloaded',
      workload: 'SharePoint',
      access: 'read',
      file: {
        listItemUniqueId: '6f0c2a9e-4b1d-4c8e-9a7f-3e2d1c0b9a81',
        urls: [
          'https://contoso.sharepoint.com/sites/finance/Shared Documents/Payroll/Q3 payroll export.xlsx',
          'https://contoso.sharepoint.com/sites/finance/Shared%20Documents/Payroll/Q3%20payroll%20export.xlsx',
        ],
        siteUrl: 'https://contoso.sharepoint.com/sites/finance/',
        fileName: 'Q3 payroll export.xlsx',
      },
      clientAppId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
    });
  });

  it('names a guest by the address inside urn:spo:guest#, and an app-only caller by its ApplicationId alone', () => {
    const guest = expectEvent(normalizeRecord({ ...download, UserId: 'urn:spo:guest#eve@fabrikam.example' }), 'fileOperation');
    assert.equal(guest.actor.userPrincipalName, 'eve@fabrikam.example');
    const app = expectEvent(
      normalizeRecord({ ...download, UserId: 'app@sharepoint', ApplicationId: '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b', AppAccessContext: {} }),
      'fileOperation',
    );
    assert.equal(app.actor.userPrincipalName, undefined, 'app@sharepoint names no person');
    assert.equal(app.actor.appId, '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b');
    assert.equal(app.token, undefined);
  });

  it('tells reads from changes, and a OneDrive record by its workload', () => {
    for (const operation of ['FileAccessed', 'FileAccessedExtended', 'FilePreviewed', 'FileSyncDownloadedFull', 'FileSyncDownloadedPartial', 'FileCopied']) {
      assert.equal(expectEvent(normalizeRecord({ ...download, Operation: operation }), 'fileOperation').access, 'read', operation);
    }
    for (const operation of ['FileModified', 'FileRenamed', 'FileMoved', 'FileDeleted', 'SharingSet', 'AnonymousLinkCreated', 'SharingInvitationCreated']) {
      assert.equal(expectEvent(normalizeRecord({ ...download, Operation: operation }), 'fileOperation').access, 'change', operation);
    }
    assert.equal(expectEvent(normalizeRecord({ ...download, Workload: 'OneDrive' }), 'fileOperation').workload, 'OneDrive');
  });

  it('skips searches, page and list views as operations Lure does not use, and rejects a record it cannot read', () => {
    for (const operation of ['SearchQueryPerformed', 'PageViewed', 'ListViewed', 'FolderCreated']) {
      const skipped = expectSkip(normalizeRecord({ ...download, Operation: operation }), 'operation-not-used');
      assert.equal(skipped.detail, `SharePoint ${operation}`);
    }
    expectSkip(fromSharePointAudit({ ...download, CreationTime: 'yesterday' }), 'invalid-record');
    const { Operation: _operation, ...withoutOperation } = download;
    expectSkip(fromSharePointAudit(withoutOperation), 'invalid-record');
  });

  it('reads the same record inside Defender CloudAppEvents, by its Workload or, without one, by the application column', () => {
    const { Workload: _workload, ...withoutWorkload } = download;
    for (const [applicationId, workload] of [
      [20892, 'SharePoint'],
      [15600, 'OneDrive'],
    ] as const) {
      const record = {
        time: '2026-11-24T13:12:00.0000000Z',
        tenantId: TENANT,
        category: 'AdvancedHunting-CloudAppEvents',
        properties: { Timestamp: '2026-11-24T13:10:44Z', ActionType: 'FileDownloaded', ApplicationId: applicationId, RawEventData: withoutWorkload },
      };
      const event = expectEvent(fromDefenderStreaming(record, 'AdvancedHunting-CloudAppEvents'), 'fileOperation');
      assert.equal(event.source, 'defender');
      assert.equal(event.workload, workload);
      assert.equal(event.file.listItemUniqueId, download.ListItemUniqueId);
    }
  });
});
