import azf from '@azure/functions';
import type { InvocationContext as InvocationContextType } from '@azure/functions';

// The package is a CommonJS bundle whose classes Node's ESM loader cannot see as named exports
// (Azure/azure-functions-nodejs-library#287): take them off the default export.
export const { InvocationContext, HttpRequest } = azf;

/** A context like the host's for an Event Hub batch, collecting what the function logs. */
export function eventHubContext(options: { functionName: string; partitionId?: string; logs?: string[] }): InvocationContextType {
  return new InvocationContext({
    invocationId: `test-${Math.random().toString(16).slice(2)}`,
    functionName: options.functionName,
    triggerMetadata: {
      partitionContext: {
        fullyQualifiedNamespace: 'lure-test.servicebus.windows.net',
        eventHubName: 'hub',
        consumerGroup: 'lure',
        partitionId: options.partitionId ?? '0',
      },
      sequenceNumberArray: [],
      enqueuedTimeUtcArray: [],
    },
    logHandler: (_level, ...args) => options.logs?.push(args.map(String).join(' ')),
  });
}
