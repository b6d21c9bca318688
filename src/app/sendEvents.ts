import type { EventPublisher } from '../ports/eventPublisher.js';
import { fileText, streamMessageBatches } from './eventFiles.js';

/** Records per event, and bytes: an Event Hub message of Entra's own size (diagnostic settings send a few hundred KB), well under the 1 MB a message may be. */
const RECORDS_PER_EVENT = 100;
const BYTES_PER_EVENT = 256 * 1024;

export interface SendReport {
  readonly files: number;
  readonly events: number;
  readonly records: number;
}

/**
 * `lure send`: pushes event files (any framing) to a hub as the sources would — records in
 * `{"records":[…]}` envelopes, NDJSON lines one event each (a line that is not JSON goes as it is, to be
 * dead-lettered on the other side like any bad record).
 */
export async function sendEventFiles(publisher: EventPublisher, hub: string, files: readonly string[]): Promise<SendReport> {
  let events = 0;
  let records = 0;
  for (const file of files) {
    let eventsOfFile = 0;
    for await (const batch of streamMessageBatches(fileText(file), RECORDS_PER_EVENT)) {
      const bodies = batch.flatMap((message) => {
        if (Array.isArray(message)) {
          records += message.length;
          return envelopesOf(message);
        }
        records += 1;
        return [typeof message === 'string' ? parsedOrRaw(message) : message];
      });
      const { tooLarge } = await publisher.publish(hub, bodies);
      // The rest went; this one cannot, however often it is sent.
      const firstTooLarge = tooLarge.at(0);
      if (firstTooLarge !== undefined) throw new RangeError(`${file}: event ${eventsOfFile + firstTooLarge + 1} is larger than an Event Hubs event may be`);
      events += bodies.length;
      eventsOfFile += bodies.length;
    }
  }
  return { files: files.length, events, records };
}

/** `{"records":[…]}` envelopes of at most `BYTES_PER_EVENT` each (a record larger than that goes alone). */
function envelopesOf(records: readonly unknown[]): { records: unknown[] }[] {
  const envelopes: { records: unknown[] }[] = [];
  let current: unknown[] = [];
  let size = 0;
  for (const record of records) {
    const bytes = Buffer.byteLength(JSON.stringify(record));
    if (current.length > 0 && size + bytes > BYTES_PER_EVENT) {
      envelopes.push({ records: current });
      current = [];
      size = 0;
    }
    current.push(record);
    size += bytes;
  }
  if (current.length > 0) envelopes.push({ records: current });
  return envelopes;
}

function parsedOrRaw(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}
