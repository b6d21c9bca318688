import { after, before } from 'node:test';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../src/adapters/embeddedAzurite.js';

/**
 * Starts an in-process, in-memory Azurite for the test file and stops it after. Tests get a fresh table
 * prefix each time they ask, so they never see one another's rows.
 */
export function useAzurite(): { readonly connectionString: () => string; readonly uniquePrefix: () => string; readonly server: () => EmbeddedAzurite } {
  let azurite: EmbeddedAzurite | undefined;
  let counter = 0;
  before(async () => {
    azurite = await startEmbeddedAzurite();
  });
  after(async () => {
    await azurite?.close();
  });
  return {
    connectionString: () => azurite!.connectionString,
    uniquePrefix: () => `t${process.pid}x${(counter += 1)}`,
    server: () => azurite!,
  };
}
