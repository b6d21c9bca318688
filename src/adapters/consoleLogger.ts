import type { LogFields, Logger } from '../ports/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * One line per log entry on a stream (stderr by default, so stdout stays for alerts): a JSON object for log
 * collectors (`json`, the default in Azure), or `lure: warn: message (field=value, …)` for a person.
 */
export function consoleLogger(
  options: { readonly minimumLevel?: Level; readonly format?: 'json' | 'human'; readonly write?: (line: string) => void } = {},
): Logger {
  const minimum = ORDER[options.minimumLevel ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const human = options.format === 'human';
  const log = (level: Level) => (message: string, fields?: LogFields) => {
    if (ORDER[level] < minimum) return;
    write(human ? humanLine(level, message, fields) : JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function humanLine(level: Level, message: string, fields: LogFields | undefined): string {
  const details = Object.entries(fields ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `lure: ${level}: ${message}${details.length === 0 ? '' : ` (${details.join(', ')})`}`;
}
