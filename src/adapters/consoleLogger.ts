import type { LogFields, Logger } from '../ports/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One JSON line per log entry on a stream (stderr by default, so stdout stays for alerts). */
export function consoleLogger(options: { readonly minimumLevel?: Level; readonly write?: (line: string) => void } = {}): Logger {
  const minimum = ORDER[options.minimumLevel ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (level: Level) => (message: string, fields?: LogFields) => {
    if (ORDER[level] >= minimum) write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
