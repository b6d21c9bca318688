import { consoleLogger } from '../../adapters/consoleLogger.js';
import { formatAlertLine } from '../../alerting/formatAlertLine.js';
import type { Config } from '../../config/config.js';
import { megabytes } from '../local/inboxFile.js';
import { startLocalHost } from '../local/localHost.js';

/**
 * `lure start`: runs the local host until SIGINT or SIGTERM, then stops it. Answers whether it stopped cleanly.
 * A second signal while a long inbox file finishes abandons the file at its next batch (it stays in the inbox);
 * a third stops the process at once.
 */
export async function runLocalHost(config: Config): Promise<boolean> {
  // isTTY is typed boolean but is undefined when stdout is not a terminal: colour stays a boolean.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- see above
  const colour = process.stdout.isTTY === true;
  // Status lines follow the log format too, so stderr is all JSON or all text.
  const say = (line: string, level: 'info' | 'error' = 'info') =>
    process.stderr.write(config.logFormat === 'json' ? `${JSON.stringify({ time: new Date().toISOString(), level, message: line })}\n` : `lure: ${line}\n`);
  const host = await startLocalHost(
    config,
    {
      alert: (alert) => process.stdout.write(`${formatAlertLine(alert, { colour })}\n`),
      note: (line) => say(line),
    },
    consoleLogger({ minimumLevel: 'warn', format: config.logFormat }),
  );
  const waitingFor = () => {
    const progress = host.progress();
    return progress === undefined
      ? ''
      : `; finishing ${progress.name}: ${megabytes(progress.done, false)} / ${megabytes(progress.total)}; Ctrl-C again to stop now — the file stays in the inbox`;
  };
  return new Promise<boolean>((resolve) => {
    let signals = 0;
    const stopListening = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    // One listener until the third signal: swapping listeners would leave an instant with none, in which a
    // quick second Ctrl-C takes Node's default action and kills the process mid-write.
    function onSignal(signal: NodeJS.Signals): void {
      signals += 1;
      if (signals === 3) {
        // A stop that hangs (a store or hub that never answers) must not hold the terminal: the third
        // Ctrl-C takes the default action, as it always did.
        say('stopping now');
        stopListening();
        process.kill(process.pid, signal);
        return;
      }
      if (signals === 2) {
        say('stopping after the batch in hand');
        host.abandonFile();
        return;
      }
      say(`${signal} received, stopping${waitingFor()}`);
      // While a long file finishes, say how far it has come.
      const reporter = setInterval(() => {
        const line = waitingFor();
        if (line !== '') say(`stopping${line}`);
      }, 2_000);
      const stopped = (clean: boolean) => {
        clearInterval(reporter);
        stopListening();
        resolve(clean);
      };
      host.stop().then(
        () => stopped(true),
        (error: unknown) => {
          say(`stop failed: ${error instanceof Error ? error.message : String(error)}`, 'error');
          stopped(false);
        },
      );
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // Only now: a Ctrl-C that came after this line and before the handlers would have killed the process
    // with Node's default action, mid-write.
    say(`Watching ${host.inboxDir} for event files (Event Hub messages, JSON arrays, NDJSON). Ctrl-C stops.`);
  });
}
