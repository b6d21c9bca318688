import type { StoredAlert } from '../correlation/foldAlert.js';
import type { Decoy } from '../domain/decoys.js';
import { parseDecoy } from '../decoys/parseDecoys.js';
import { ConcurrencyError, type DeadLetter, type StateStore, type Versioned } from '../ports/stateStore.js';

interface Row {
  readonly json: string;
  readonly etag: string;
}

/**
 * The state store in memory, for unit tests and `lure replay`. Values are kept as JSON so callers never
 * share objects with the store, exactly as with the Table adapter; ETags behave the same way.
 */
export class MemoryStateStore implements StateStore {
  private readonly decoys = new Map<string, Row>();
  private readonly alerts = new Map<string, Row>();
  private readonly deadLetters = new Map<string, Row>();
  private version = 0;

  async listDecoys(): Promise<Decoy[]> {
    return [...this.decoys.values()].map((row) => parseDecoy(JSON.parse(row.json)));
  }

  async getDecoy(id: string): Promise<Versioned<Decoy> | undefined> {
    const row = this.decoys.get(id);
    return row && { value: parseDecoy(JSON.parse(row.json)), etag: row.etag };
  }

  async upsertDecoy(decoy: Decoy): Promise<void> {
    this.decoys.set(decoy.id, this.row(decoy));
  }

  async deleteDecoy(id: string): Promise<void> {
    this.decoys.delete(id);
  }

  async getAlert(id: string): Promise<Versioned<StoredAlert> | undefined> {
    const row = this.alerts.get(id);
    return row && { value: JSON.parse(row.json) as StoredAlert, etag: row.etag };
  }

  async createAlert(alert: StoredAlert): Promise<void> {
    if (this.alerts.has(alert.alert.id)) throw new ConcurrencyError(`alert ${alert.alert.id} already exists`);
    this.alerts.set(alert.alert.id, this.row(alert));
  }

  async updateAlert(alert: StoredAlert, etag: string): Promise<void> {
    const current = this.alerts.get(alert.alert.id);
    if (current === undefined || current.etag !== etag) throw new ConcurrencyError(`alert ${alert.alert.id} changed since it was read`);
    this.alerts.set(alert.alert.id, this.row(alert));
  }

  async *listAlerts(): AsyncIterable<StoredAlert> {
    for (const row of [...this.alerts.values()]) yield JSON.parse(row.json) as StoredAlert;
  }

  async upsertDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    for (const letter of letters) this.deadLetters.set(letter.id, this.row(letter));
  }

  async *listDeadLetters(): AsyncIterable<DeadLetter> {
    for (const row of [...this.deadLetters.values()]) yield JSON.parse(row.json) as DeadLetter;
  }

  private row(value: unknown): Row {
    this.version += 1;
    return { json: JSON.stringify(value), etag: `W/"${this.version}"` };
  }
}
