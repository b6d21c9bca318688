import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventKind, NormalizedEvent } from '../../src/domain/events.js';
import { decodeMessage } from '../../src/normalize/decodeMessage.js';
import { isObject } from '../../src/normalize/fields.js';
import { normalizeRecord } from '../../src/normalize/normalizeRecord.js';
import { isSkip, type NormalizeOutcome } from '../../src/normalize/outcome.js';
import { CORPUS } from './corpus.js';
import { recordSetChecks } from '../helpers/recordSet.js';
import { expectEvent } from '../helpers/outcomes.js';
import { tokenUseOf } from '../../src/correlation/tokenIssuance.js';
import { DecoyIndex } from '../../src/decoys/decoyIndex.js';
import { parseDecoyFile } from '../../src/decoys/parseDecoys.js';
import { decoyFileAccessed } from '../../src/detections/decoyFileAccessed.js';
import { fixtureSigningContext } from '../helpers/detectionFixtures.js';

// Real records captured by others (../shared/corpus, see its SOURCES.md): read at run time, never copied.
// `npm run test:corpus` runs this; `npm test` runs the same record checks on our own fixtures.

interface CorpusLine {
  readonly file: string;
  /** 1-based, as in the `.index.tsv` beside the file. */
  readonly line: number;
  readonly text: string;
  readonly record: unknown;
}

const NDJSON_FILES = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.ndjson'))
  .sort();

function linesOf(file: string): CorpusLine[] {
  const lines: CorpusLine[] = [];
  readFileSync(path.join(CORPUS, file), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      lines.push({ file, line: index + 1, text, record: JSON.parse(text) as unknown });
    });
  return lines;
}

const ALL_LINES: readonly CorpusLine[] = NDJSON_FILES.flatMap(linesOf);

/** Rows of `<file>.index.tsv` as column-name → value maps. */
function indexOf(file: string): Map<string, string>[] {
  const [headerLine, ...rows] = readFileSync(path.join(CORPUS, file.replace(/\.ndjson$/, '.index.tsv')), 'utf8')
    .split(/\r?\n/)
    .filter((row) => row.trim() !== '');
  assert.ok(headerLine !== undefined, `${file}: empty index`);
  const columns = headerLine.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    return new Map(columns.map((column, position) => [column, cells[position] ?? '']));
  });
}

/** The corpus line(s) whose index row matches every given column value. */
function linesWhere(file: string, match: Readonly<Record<string, string>>): CorpusLine[] {
  const wanted = new Set(
    indexOf(file)
      .filter((row) => Object.entries(match).every(([column, value]) => row.get(column) === value))
      .map((row) => Number(row.get('line'))),
  );
  return ALL_LINES.filter((entry) => entry.file === file && wanted.has(entry.line));
}

function onlyLineWhere(file: string, match: Readonly<Record<string, string>>): CorpusLine {
  const found = linesWhere(file, match);
  assert.equal(found.length, 1, `${file}: expected one line matching ${JSON.stringify(match)}, found ${found.length}`);
  return found[0]!;
}

function where(entry: CorpusLine): string {
  return `${entry.file}:${entry.line}`;
}

function stringField(record: unknown, key: string): string | undefined {
  if (!isObject(record)) return undefined;
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

const ENTRA_CATEGORIES_ACCEPTED = new Set([
  'SignInLogs',
  'NonInteractiveUserSignInLogs',
  'ServicePrincipalSignInLogs',
  'MicrosoftServicePrincipalSignInLogs',
  'ManagedIdentitySignInLogs',
  'AuditLogs',
  'MicrosoftGraphActivityLogs',
]);

const EXCHANGE_OPERATION_KINDS: Readonly<Record<string, EventKind>> = {
  MailItemsAccessed: 'mailItemsAccessed',
  SoftDelete: 'mailItemOperation',
  HardDelete: 'mailItemOperation',
  'New-InboxRule': 'mailboxChange',
  UpdateInboxRules: 'mailboxChange',
  Send: 'mailItemOperation',
  Create: 'mailItemOperation',
  Update: 'mailItemOperation',
};

function outcomeOf(entry: CorpusLine): NormalizeOutcome {
  return normalizeRecord(entry.record);
}

describe('corpus: every line of every file', () => {
  it('finds the corpus files', () => {
    assert.ok(NDJSON_FILES.length >= 5, `expected the shared corpus at ${CORPUS}`);
    assert.ok(ALL_LINES.length >= 250);
  });

  recordSetChecks(
    () => ALL_LINES.map((entry) => ({ where: where(entry), text: entry.text, record: entry.record })),
    [
      'signIn',
      'graphActivity',
      'mailItemsAccessed',
      'every kind.actor',
      'every kind.token',
      'directoryAudit.targets[]',
      'mailItemsAccessed.folders[].items[]',
      'mailItemOperation.items[]',
      'mailboxChange.parameters[]',
    ],
  );

  it("decodes every file as NDJSON (LF and CRLF) to its lines' records", () => {
    for (const file of NDJSON_FILES) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      const units = decodeMessage(text);
      const expected = ALL_LINES.filter((entry) => entry.file === file).map((entry) => ({ record: entry.record }));
      assert.deepEqual(units, expected, file);
      const crlf = decodeMessage(Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8'));
      assert.deepEqual(crlf, expected, `${file} (CRLF)`);
    }
  });
});

describe('corpus: what must be accepted', () => {
  it('accepts every Entra sign-in, AuditLogs and MicrosoftGraphActivityLogs record', () => {
    const entraLines = ALL_LINES.filter((entry) => ENTRA_CATEGORIES_ACCEPTED.has(stringField(entry.record, 'category') ?? ''));
    assert.ok(entraLines.length >= 20, `only ${entraLines.length} Entra records found`);
    const seen = new Set<string>();
    for (const entry of entraLines) {
      const category = stringField(entry.record, 'category') ?? '';
      seen.add(category);
      const outcome = outcomeOf(entry);
      assert.ok(!isSkip(outcome), `${where(entry)} ${category}: skipped ${isSkip(outcome) ? `${outcome.skipped} (${outcome.detail})` : ''}`);
      const expectedKind: EventKind = category === 'AuditLogs' ? 'directoryAudit' : category === 'MicrosoftGraphActivityLogs' ? 'graphActivity' : 'signIn';
      assert.equal(outcome.kind, expectedKind, where(entry));
      assert.equal(outcome.source, 'entra', where(entry));
    }
    assert.deepEqual([...seen].sort(), [...ENTRA_CATEGORIES_ACCEPTED].sort());
  });

  it('accepts every Management Activity API Exchange record of the operations Lure reads, with the right kind', () => {
    const exchangeLines = ALL_LINES.filter(
      (entry) => stringField(entry.record, 'Workload') === 'Exchange' && Object.hasOwn(EXCHANGE_OPERATION_KINDS, stringField(entry.record, 'Operation') ?? ''),
    );
    assert.ok(exchangeLines.length >= 14, `only ${exchangeLines.length} Exchange records found`);
    for (const entry of exchangeLines) {
      const operation = stringField(entry.record, 'Operation') ?? '';
      const outcome = outcomeOf(entry);
      assert.ok(!isSkip(outcome), `${where(entry)} ${operation}: skipped ${isSkip(outcome) ? `${outcome.skipped} (${outcome.detail})` : ''}`);
      assert.equal(outcome.kind, EXCHANGE_OPERATION_KINDS[operation], where(entry));
      assert.equal(outcome.source, 'exchange', where(entry));
      assert.equal(outcome.recordType, operation, where(entry));
    }
  });

  it('does not accept the Graph REST resources (no diagnostic envelope)', () => {
    for (const entry of ALL_LINES.filter((candidate) => candidate.file.startsWith('sekoia_entra_graph_rest'))) {
      const outcome = outcomeOf(entry);
      assert.ok(isSkip(outcome) && outcome.skipped === 'unrecognized-shape', where(entry));
    }
  });
});

describe('corpus: exact values of named lines', () => {
  const graph2otel = 'graph2otel_live_diagnostic_and_xdr_records.ndjson';
  const sekoiaEntra = 'sekoia_entra_diagnostic_eventhub.ndjson';
  const sekoiaO365 = 'sekoia_o365_management_activity.ndjson';
  const sekoiaDefender = 'sekoia_defender_xdr_streaming.ndjson';

  it('graph2otel MicrosoftGraphActivityLogs realRecord', () => {
    const entry = onlyLineWhere(graph2otel, { category: 'MicrosoftGraphActivityLogs', go_const: 'realRecord' });
    const event = expectEvent(outcomeOf(entry), 'graphActivity');
    assert.equal(event.recordId, '8a566ebb-77a1-4f60-9855-d4eb4019e562');
    assert.equal(event.method, 'POST');
    assert.equal(event.requestUri, 'https://graph.microsoft.com/beta/users/rob@m7kni.io/informationProtection/batchClassifyAndEvaluate');
    assert.equal(event.responseStatusCode, 200);
    assert.equal(event.identityType, 'app');
    assert.equal(event.time, '2026-07-16T02:00:45.015Z');
    assert.equal(event.tenantId, '4b8c18bd-2f9f-4227-af55-9f1061cf9c32');
    assert.deepEqual(event.actor, {
      appId: 'c98e5057-edde-4666-b301-186a01b4dc58',
      servicePrincipalId: '87d30957-9758-4040-949e-9e9fe9c7cfcf',
      ipAddress: '172.165.241.127',
      userAgent: 'DelphiAC-Mac',
    });
    assert.deepEqual(event.token, {
      uniqueTokenId: 'OPD3UZnmTkud24wRw6ATAA',
      issuedAt: '2026-07-16T01:04:37.000Z',
      tenantId: '4b8c18bd-2f9f-4227-af55-9f1061cf9c32',
    });
  });

  it('graph2otel MicrosoftServicePrincipalSignInLogs realBlobFailure: createdDateTime, not the later envelope time', () => {
    const entry = onlyLineWhere(graph2otel, { category: 'MicrosoftServicePrincipalSignInLogs', go_const: 'realBlobFailure' });
    const event = expectEvent(outcomeOf(entry), 'signIn');
    assert.equal(event.recordId, '5762b741-b128-4e73-80d4-f05a660c3b00');
    assert.equal(event.time, '2026-07-16T15:31:34.188Z');
    assert.equal(event.succeeded, false);
    assert.equal(event.errorCode, 7000113);
    assert.equal(event.servicePrincipalName, 'AADReporting');
    assert.deepEqual(event.actor, {
      appId: '1b912ec3-a9dd-4c4d-a53e-76aa7adb28d7',
      servicePrincipalId: '29f4d705-d0bf-42fa-ad8f-e7bd308e94cb',
      ipAddress: '135.225.184.235',
    });
    assert.equal(event.token?.uniqueTokenId, undefined);
  });

  it('graph2otel ManagedIdentitySignInLogs realMISignin: empty ipAddress is absent', () => {
    const entry = onlyLineWhere(graph2otel, { category: 'ManagedIdentitySignInLogs', go_const: 'realMISignin' });
    const event = expectEvent(outcomeOf(entry), 'signIn');
    assert.equal(event.time, '2026-07-20T08:31:21.331Z');
    assert.equal(event.succeeded, true);
    assert.equal(event.actor.ipAddress, undefined);
    assert.equal(event.actor.servicePrincipalId, 'fa179562-7d53-49bc-b38a-c52915cf554c');
    assert.equal(event.token?.uniqueTokenId, 'N2jT94if-kGJzdwWp8mqAA');
  });

  it('sekoia AuditLogs add_service_principal_failure: activityDateTime, "<null>" caller IP', () => {
    const entry = onlyLineWhere(sekoiaEntra, { category_or_operation: 'AuditLogs', source_test_file: 'add_service_principal_failure.json' });
    const event = expectEvent(outcomeOf(entry), 'directoryAudit');
    assert.equal(event.recordId, 'Directory_GMR7H_185505965');
    assert.equal(event.time, '2019-06-24T09:18:23.586Z');
    assert.equal(event.activity, 'Add service principal');
    assert.equal(event.result, 'failure');
    assert.deepEqual(event.actor, {});
    assert.equal(event.targets.length, 1);
    assert.equal(event.targets[0]?.type, 'ServicePrincipal');
    assert.ok(event.targets[0].modifiedProperties.includes('Credential'));
  });

  it('sekoia Graph activity records: C_Sid when present, tokenIssuedAt', () => {
    const graphLines = linesWhere(sekoiaEntra, { category_or_operation: 'MicrosoftGraphActivityLogs' });
    assert.equal(graphLines.length, 3);
    const events = graphLines.map((entry) => expectEvent(outcomeOf(entry), 'graphActivity'));
    const withSession = events.filter((event) => event.token?.sessionId !== undefined);
    assert.equal(withSession.length, 1);
    assert.equal(withSession[0]?.token?.sessionId, '11111111-1111-1111-1111-111111111111');
    assert.equal(withSession[0].token.issuedAt, '2025-10-02T08:45:25.000Z');
    for (const event of events) assert.equal(event.identityType, 'user');
  });

  it('sekoia Exchange MailItemsAccessed exchange_item_aggregated.json', () => {
    const entry = onlyLineWhere(sekoiaO365, { category_or_operation: 'MailItemsAccessed', source_test_file: 'exchange_item_aggregated.json' });
    const event = expectEvent(outcomeOf(entry), 'mailItemsAccessed');
    const folderId = 'LgAAAABxSjbeIoBUT6MlFIM9cqcFAQCxmw0Q8U/kQIyFE2Uk+mwoAAAAAAEPAAAB';
    assert.equal(event.recordId, '461a38ce-fc36-4a4d-b73e-643262cc063f');
    assert.equal(event.source, 'exchange');
    assert.equal(event.time, '2023-09-15T18:16:53.000Z');
    assert.equal(event.accessType, 'Bind');
    assert.equal(event.throttled, false);
    assert.equal(event.operationCount, 3);
    assert.deepEqual(event.mailbox, { ownerUpn: 'user1', guid: '03d9e949-cbc1-4dd2-b7ba-8a1d1e0207b5' });
    assert.equal(event.actor.appId, '00000002-0000-0ff1-ce00-000000000000');
    assert.equal(event.actor.ipAddress, '192.0.2.1');
    assert.deepEqual(event.folders, [
      {
        id: folderId,
        path: '\\Brouillons',
        items: [
          { internetMessageId: '<AM0PR07MB576312B164491AF0F9214C738DF6A@AM0PR07MB5763.eurprd07.prod.outlook.com>', folderId },
          { internetMessageId: '<AM0PR07MB5763A95F7E4A5BA512692F698DF6A@AM0PR07MB5763.eurprd07.prod.outlook.com>', folderId },
          { internetMessageId: '<AM0PR07MB57633CFE8EE2ACB8CEF184AC8DF6A@AM0PR07MB5763.eurprd07.prod.outlook.com>', folderId },
        ],
      },
    ]);
  });

  it('sekoia Exchange MailItemsAccessed exchange_item_group_7.json: AppAccessContext token identifiers', () => {
    const entry = onlyLineWhere(sekoiaO365, { category_or_operation: 'MailItemsAccessed', source_test_file: 'exchange_item_group_7.json' });
    const event = expectEvent(outcomeOf(entry), 'mailItemsAccessed');
    assert.equal(event.token?.uniqueTokenId, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(event.token.issuedAt, '2025-10-26T13:12:18.000Z');
    assert.equal(event.time, '2025-10-27T07:09:33.000Z');
  });

  it('sekoia Exchange MailItemsAccessed clientipadress.json: ExternalAccess "False", IPv6 address', () => {
    const entry = onlyLineWhere(sekoiaO365, { category_or_operation: 'MailItemsAccessed', source_test_file: 'clientipadress.json' });
    const event = expectEvent(outcomeOf(entry), 'mailItemsAccessed');
    assert.equal(event.actor.ipAddress, 'FE80::');
    assert.equal(event.clientAppId, 'clientappidxxxx-xxx-xxx-xxxx');
    assert.equal(event.folders[0]?.items.length, 2);
  });

  it('sekoia Exchange New-InboxRule inbox_rule.json: ClientIP port stripped, ObjectId as target', () => {
    const entry = onlyLineWhere(sekoiaO365, { category_or_operation: 'New-InboxRule' });
    const event = expectEvent(outcomeOf(entry), 'mailboxChange');
    assert.equal(event.actor.ipAddress, '1.2.3.4');
    assert.equal(
      event.targetIdentity,
      'EURPR07A010.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/example.onmicrosoft.com/bc1b1df3-f861-4aec-bf7c-40ce5b5566c1\\RULE_NAME',
    );
    assert.deepEqual(
      event.parameters.find((parameter) => parameter.name === 'ForwardTo'),
      { name: 'ForwardTo', value: 'bob@example.org' },
    );
    assert.equal(event.parameters.length, 12);
  });

  it('sekoia Exchange UpdateInboxRules: AppAccessContext {} or {"APIId":""} gives no token', () => {
    const lines = linesWhere(sekoiaO365, { category_or_operation: 'UpdateInboxRules' });
    assert.equal(lines.length, 3);
    for (const entry of lines) {
      const event = expectEvent(outcomeOf(entry), 'mailboxChange');
      assert.equal(event.token, undefined, where(entry));
      assert.equal(event.parameters.find((parameter) => parameter.name === 'RuleOperation')?.value, 'ModifyMailboxRule', where(entry));
    }
  });

  it('sekoia Defender CloudAppEvents MailItemsAccessed', () => {
    const mailLines = linesWhere(sekoiaDefender, { category_or_operation: 'AdvancedHunting-CloudAppEvents' }).filter((entry) => {
      const properties = isObject(entry.record) ? entry.record['properties'] : undefined;
      return stringField(properties, 'ActionType') === 'MailItemsAccessed';
    });
    assert.equal(mailLines.length, 1);
    const event = expectEvent(outcomeOf(mailLines[0]!), 'mailItemsAccessed');
    assert.equal(event.source, 'defender');
    assert.equal(event.recordId, '11111111-1111-1111-1111-111111111111');
    assert.equal(event.time, '2024-10-03T11:23:17.000Z');
    assert.equal(event.tenantId, '33333333-3333-3333-3333-333333333333');
    assert.equal(event.accessType, 'Bind');
    assert.equal(event.operationCount, 6);
    assert.deepEqual(event.mailbox, { ownerUpn: 'john.doe@example.com', guid: '66666666-6666-6666-6666-666666666666' });
    assert.equal(event.actor.ipAddress, 'fe80:0011:2233:4455:6677:8899:AABB:CCDD');
    assert.equal(event.clientAppId, '22222222-2222-2222-2222-222222222222');
    assert.equal(event.folders.length, 1);
    assert.equal(event.folders[0]?.id, 'ID8');
    assert.deepEqual(
      event.folders[0].items.map((item) => item.itemId),
      ['ID1', 'ID2', 'ID4', 'ID5', 'ID6', 'ID7'],
    );
    assert.equal(event.folders[0].items[0]?.internetMessageId, '<1641470871.2259807.1727868231060@ltx1-app86239.prod.linkedin.com>');
  });

  it('sekoia Defender CloudAppEvents Send: trailing space stripped from ClientIPAddress', () => {
    const sendLines = linesWhere(sekoiaDefender, { category_or_operation: 'AdvancedHunting-CloudAppEvents' }).filter((entry) => {
      const properties = isObject(entry.record) ? entry.record['properties'] : undefined;
      return stringField(properties, 'ActionType') === 'Send';
    });
    assert.equal(sendLines.length, 1);
    const event = expectEvent(outcomeOf(sendLines[0]!), 'mailItemOperation');
    assert.equal(event.source, 'defender');
    assert.equal(event.actor.ipAddress, '1.1.1.1');
    assert.deepEqual(event.items, [
      {
        internetMessageId: '<test.JDOE.outlook.com>',
        itemId: 'RgAAAACAAAAAAAAAAAAAAAAAAncHuoKBwCQDhyvSYsvTYNL',
        immutableId: 'LgAAAAAAAAAAAAAAAAAAAAAAADQCQDhyvSYsvTYNLegb6cgrxAAAo4zpzAAAJ',
        folderId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAQCQDhyvSYsvTYNLegb6cgrxAAAAAAEPAAAB',
      },
    ]);
  });

  it('skips the graph2otel Google Workspace CloudAppEvents record', () => {
    const entry = onlyLineWhere(graph2otel, { category: 'AdvancedHunting-CloudAppEvents' });
    const outcome = outcomeOf(entry);
    assert.ok(isSkip(outcome) && outcome.skipped === 'workload-not-used', where(entry));
  });

  it('yields events of exactly the kinds the corpus holds', () => {
    const kinds = new Set<NormalizedEvent['kind']>();
    for (const entry of ALL_LINES) {
      const outcome = outcomeOf(entry);
      if (!isSkip(outcome)) kinds.add(outcome.kind);
    }
    assert.deepEqual([...kinds].sort(), [
      'directoryAudit',
      'fileOperation',
      'graphActivity',
      'mailItemOperation',
      'mailItemsAccessed',
      'mailboxChange',
      'signIn',
    ]);
  });
});

describe('corpus: SharePoint and OneDrive file records', () => {
  const sekoiaO365 = 'sekoia_o365_management_activity.ndjson';
  const fileRecord = (testFile: string) => expectEvent(outcomeOf(onlyLineWhere(sekoiaO365, { source_test_file: testFile })), 'fileOperation');

  it('external_user.json: a guest downloading from a OneDrive, the file URL from SiteUrl, SourceRelativeUrl and SourceFileName', () => {
    const event = fileRecord('external_user.json');
    assert.equal(event.operation, 'FileDownloaded');
    assert.equal(event.access, 'read');
    assert.equal(event.workload, 'OneDrive');
    assert.equal(event.recordId, '609745a8-8ec0-4305-8607-fa95f45cf370');
    assert.equal(event.time, '2024-11-29T12:31:12.000Z');
    assert.equal(event.actor.userPrincipalName, 'john.doe@example.com');
    assert.equal(event.actor.ipAddress, '1.2.3.4');
    assert.deepEqual(event.file, {
      listItemUniqueId: '1d91eda8-2918-42f0-8f2b-88dd9aaffcdf',
      urls: ['https://example.com/Documents/IMT MBA/1.zip', 'https://example.com/1.zip'],
      siteUrl: 'https://example.com/',
      fileName: '1.zip',
    });
  });

  it('file_previewed.json: a preview is a read; ObjectId naming only the site adds no file URL of its own', () => {
    const event = fileRecord('file_previewed.json');
    assert.equal(event.access, 'read');
    assert.equal(event.actor.appId, '4345a7b9-9a63-4910-a426-35363201d503');
    assert.deepEqual(event.file.urls, [
      'https://company-my.sharepoint.com/personal/jane_doe_company_onmicrosoft_com/Documents/MyDocument.docx',
      'https://example.com/',
    ]);
  });

  it('file_size.json: FileModifiedExtended is a change', () => {
    const event = fileRecord('file_size.json');
    assert.equal(event.access, 'change');
    assert.equal(event.workload, 'SharePoint');
    assert.equal(event.token?.sessionId, 'xxxx-xxx-xxx-xxx');
  });

  it('file_sync_download_full.json: AppAccessContext.UniqueTokenId joins the token-use stream as a SharePoint use', () => {
    const event = fileRecord('file_sync_download_full.json');
    assert.equal(event.access, 'read');
    assert.equal(event.token?.uniqueTokenId, '0000000000000000000000');
    assert.equal(event.token.sessionId, '0e042318-7c78-4acb-ae00-5ee74465bca3');
    const use = tokenUseOf(event, { includeObservations: false });
    assert.equal(use?.source, 'sharepoint');
    assert.equal(use.resource, 'FileSyncDownloadedFull of https://company.sharepoint.com/sites/shared/public/assets/website/logo.png');
  });

  it('a decoy registered for each of these files is hit by its read, by list item id and by URL alike', () => {
    const reads = ['external_user.json', 'file_previewed.json', 'file_sync_download_full.json'].map(fileRecord);
    for (const event of reads) {
      const siteUrl = (event.file.siteUrl ?? '').replace(/\/+$/, '');
      const path = new URL(event.file.urls[0] ?? '').pathname;
      for (const decoy of [
        { kind: 'file', id: 'by-id', siteUrl, listItemUniqueId: event.file.listItemUniqueId },
        { kind: 'file', id: 'by-url', siteUrl, serverRelativeUrl: decodeURIComponent(path) },
      ]) {
        const findings = decoyFileAccessed.detect(event, {
          decoys: new DecoyIndex(parseDecoyFile({ decoys: [decoy] })),
          selfPrincipalIds: new Set(),
          signing: fixtureSigningContext(),
        });
        assert.equal(findings.length, 1, `${event.recordId} ${decoy.id}`);
        assert.equal(findings[0]?.severity, 'critical');
      }
      const elsewhere = { kind: 'file', id: 'elsewhere', siteUrl, serverRelativeUrl: `${decodeURIComponent(path)}.bak` };
      assert.equal(
        decoyFileAccessed.detect(event, {
          decoys: new DecoyIndex(parseDecoyFile({ decoys: [elsewhere] })),
          selfPrincipalIds: new Set(),
          signing: fixtureSigningContext(),
        }).length,
        0,
      );
    }
  });

  it('targetusername.json: a sharing record writes the file path in SourceRelativeUrl, and the URL is still the file', () => {
    const entry = onlyLineWhere(sekoiaO365, { category_or_operation: 'AddedToSecureLink' });
    const event = expectEvent(outcomeOf(entry), 'fileOperation');
    assert.equal(event.access, 'change');
    assert.ok(event.file.urls.includes('https://compagny-my.sharepoint.com/personal/usrename/Documents/filename.pdf'), event.file.urls.join(' '));
  });

  it('skips the SharePoint operations that touch no file (a list viewed, a sync client allowed, malware found by the service)', () => {
    const skipped = ALL_LINES.filter(
      (candidate) =>
        candidate.file === sekoiaO365 &&
        ['ListViewed', 'ManagedSyncClientAllowed', 'FileMalwareDetected'].includes(stringField(candidate.record, 'Operation') ?? ''),
    );
    assert.equal(skipped.length, 4);
    for (const entry of skipped) {
      const outcome = outcomeOf(entry);
      assert.ok(isSkip(outcome) && outcome.skipped === 'operation-not-used', where(entry));
    }
  });
});
