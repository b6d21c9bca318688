import type { Alert, Severity } from '../domain/alerts.js';

const COLOURS: Record<Severity, string> = { critical: '\u001b[1;31m', high: '\u001b[31m', medium: '\u001b[33m', low: '\u001b[36m' };
const RESET = '\u001b[0m';

/**
 * An alert for a person at a terminal: severity, detection and title on one line, the summary and the
 * identifiers on a second. `colour` adds ANSI colours (for a TTY).
 */
export function formatAlertLine(alert: Alert, options: { readonly colour?: boolean } = {}): string {
  const label = `[${alert.status === 'suppressed' || alert.status === 'retracted' ? `${alert.status} ` : ''}${alert.severity.toUpperCase()}]`;
  const head = options.colour ? `${COLOURS[alert.severity]}${label}${RESET}` : label;
  const records = `${alert.count} record${alert.count === 1 ? '' : 's'}`;
  return `${head} ${alert.detection}  ${alert.title}\n    ${alert.summary} (${records}, first at ${alert.occurredAt}, alert ${alert.id}${alert.decoyId ? `, decoy ${alert.decoyId}` : ''})`;
}
