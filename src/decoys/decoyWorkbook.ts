import writeXlsxFile, { type Row } from 'write-excel-file/node';
import { newPassword } from './secrets.js';

/** The accounts a credentials sheet of an IT team would list; none of them exists, so none of the passwords opens anything. */
const ACCOUNTS: readonly { readonly system: string; readonly host: string; readonly username: string; readonly owner: string }[] = [
  { system: 'DR site VPN (break-glass)', host: 'vpn-dr', username: 'vpn-breakglass', owner: 'IT Operations' },
  { system: 'Payroll database (read replica)', host: 'fin-sql02', username: 'svc_payroll_ro', owner: 'Finance Systems' },
  { system: 'Backup appliance console', host: 'bkp-mgmt01', username: 'admin', owner: 'IT Operations' },
  { system: 'Firewall (secondary)', host: 'fw-edge02', username: 'netadmin', owner: 'Network Team' },
  { system: 'HR export SFTP', host: 'sftp-hr', username: 'hr_export', owner: 'HR Systems' },
];

/**
 * A decoy workbook: a credentials sheet an intruder stops at, with fresh passwords that open nothing, and,
 * when the file carries another decoy's lure material (a decoy app's secret), a sheet holding it line by
 * line. A real .xlsx (SpreadsheetML in a zip), so Excel, SharePoint's previewer and any parser open it.
 */
export async function decoyWorkbook(options: { readonly carried?: string; readonly updatedOn: Date }): Promise<Uint8Array> {
  const header: Row = ['System', 'Host', 'Username', 'Password', 'Owner', 'Last changed'].map((value) => ({ value, fontWeight: 'bold' as const }));
  const updated = options.updatedOn.toISOString().slice(0, 10);
  const accounts: Row[] = ACCOUNTS.map((account) => [
    { value: account.system },
    { value: account.host },
    { value: account.username },
    { value: newPassword(32) },
    { value: account.owner },
    { value: updated },
  ]);
  const sheets = [
    {
      sheet: 'Accounts',
      data: [header, ...accounts],
      columns: [{ width: 34 }, { width: 14 }, { width: 18 }, { width: 40 }, { width: 18 }, { width: 14 }],
      stickyRowsCount: 1,
    },
  ];
  if (options.carried !== undefined) {
    const lines = options.carried.split('\n');
    sheets.push({
      sheet: 'App registrations',
      data: [[{ value: 'Service connection (do not share)', fontWeight: 'bold' as const }], ...lines.map((line): Row => [{ value: line }])],
      columns: [{ width: 120 }],
      stickyRowsCount: 1,
    });
  }
  return new Uint8Array(await writeXlsxFile(sheets).toBuffer());
}
