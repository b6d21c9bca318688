import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Azurite's well-known development account key (public; it opens only a local emulator). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface EmbeddedAzurite {
  readonly connectionString: string;
  readonly port: number;
  /** Stops the server; with a data folder, flushes it to disk first. */
  close(): Promise<void>;
}

interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

/**
 * Runs Azurite's Table service inside this process, so `npm start` and the tests need no emulator started
 * by hand. `dataDir` keeps the data between runs; without it, data lives in memory. Azurite is a
 * development dependency: a production install (`--omit=dev`) has no local host and needs Table settings.
 */
export async function startEmbeddedAzurite(options: { readonly dataDir?: string; readonly port?: number } = {}): Promise<EmbeddedAzurite> {
  const require = createRequire(import.meta.url);
  let TableServer: new (configuration: unknown) => AzuriteTableServer;
  let TableConfiguration: new (...args: unknown[]) => unknown;
  try {
    TableServer = (require('azurite/dist/src/table/TableServer') as { default: typeof TableServer }).default;
    TableConfiguration = (require('azurite/dist/src/table/TableConfiguration') as { default: typeof TableConfiguration }).default;
  } catch {
    throw new Error(
      'Azurite is not installed (it is a development dependency): run `npm install`, or set LURE_TABLE_CONNECTION_STRING or LURE_TABLE_SERVICE_URI',
    );
  }
  const inMemory = options.dataDir === undefined;
  if (!inMemory) await mkdir(options.dataDir, { recursive: true });
  const databasePath = inMemory ? ':memory:' : path.join(options.dataDir, '__azurite_db_table__.json');
  // (host, port, keepAliveTimeout, metadataDBPath, enableDebugLog, enableAccessLog, accessLogWriteStream,
  //  debugLogFilePath, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, isMemoryPersistence)
  const configuration = new TableConfiguration(
    '127.0.0.1',
    options.port ?? 0,
    5,
    databasePath,
    false,
    false,
    undefined,
    undefined,
    false,
    true,
    '',
    '',
    '',
    undefined,
    false,
    inMemory,
  );
  const server = new TableServer(configuration);
  await server.start();
  const port = Number(server.getHttpServerAddress().split(':').pop());
  return {
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
    close: () => server.close(),
  };
}
