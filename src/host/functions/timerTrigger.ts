import type { InvocationContext, Timer } from '@azure/functions';
import type { Alert } from '../../domain/alerts.js';
import { getServices, type Services } from '../services.js';
import { invocationLogger, logAlerts } from './eventHubTrigger.js';

/**
 * The handler of a timer function: runs one use case and logs what it reports. A failure is logged and
 * rethrown, so the invocation fails visibly; the next tick tries again. The Functions host runs each timer
 * function as a singleton, so runs never overlap.
 */
export function timerHandler(name: string, useCase: (services: Services) => Promise<object & { readonly alerts?: readonly Alert[] }>) {
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    const services = await getServices();
    try {
      const report = await useCase(services);
      context.info(`${name} done ${JSON.stringify(summaryOf(report))}${timer.isPastDue ? ' (past due)' : ''}`);
      logAlerts(invocationLogger(context), report.alerts ?? []);
    } catch (error) {
      context.error(`${name} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      throw error;
    }
  };
}

/** Counts only: reports may carry alerts, whose words belong in the alert channels, not in logs. */
function summaryOf(report: object): Record<string, number> {
  return Object.fromEntries(
    Object.entries(report)
      .map(([key, value]: [string, unknown]) => [key, Array.isArray(value) ? value.length : value])
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}
