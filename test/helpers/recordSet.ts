import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { EventKind, EventSource } from '../../src/domain/events.js';
import { decodeMessage } from '../../src/normalize/decodeMessage.js';
import { isObject } from '../../src/normalize/fields.js';
import { normalizeRecord } from '../../src/normalize/normalizeRecord.js';
import { isSkip, type NormalizeOutcome } from '../../src/normalize/outcome.js';
import { SKIP_REASONS } from '../../src/domain/skips.js';

/** One raw record of a set (our fixtures, or the shared corpus), with where it came from. */
export interface RecordLine {
  /** `file:line` (or `file#case`), for messages. */
  readonly where: string;
  /** The record's JSON text as it was written. */
  readonly text: string;
  readonly record: unknown;
}

const KINDS: Readonly<Record<EventKind, true>> = {
  signIn: true,
  graphActivity: true,
  directoryAudit: true,
  mailItemsAccessed: true,
  mailItemOperation: true,
  mailboxChange: true,
  mailboxSearch: true,
  mailboxLogin: true,
  fileOperation: true,
  tokenObservation: true,
};
const SOURCES: Readonly<Record<EventSource, true>> = { entra: true, exchange: true, defender: true, token: true };
const ISO_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The checks every set of real-shaped records must pass, registered as tests: each normalizes without
 * throwing to a known kind or a known skip; every event of a kind has one shape (and the groups in
 * `expectedShapes` are seen); each decodes the same inside an Event Hub envelope.
 */
export function recordSetChecks(lines: () => readonly RecordLine[], expectedShapes: readonly string[]): void {
  it('normalizes every record without throwing, to an event of a known kind or a skip with a known reason', () => {
    for (const entry of lines()) {
      let outcome: NormalizeOutcome | undefined;
      assert.doesNotThrow(() => {
        outcome = normalizeRecord(entry.record);
      }, entry.where);
      assert.ok(outcome !== undefined, entry.where);
      if (isSkip(outcome)) {
        assert.ok(Object.hasOwn(SKIP_REASONS, outcome.skipped), `${entry.where}: unknown skip reason ${outcome.skipped}`);
        assert.equal(typeof outcome.detail, 'string', entry.where);
        assert.ok(outcome.detail.length <= 200, `${entry.where}: skip detail too long`);
      } else {
        assert.ok(Object.hasOwn(KINDS, outcome.kind), `${entry.where}: unknown kind ${outcome.kind}`);
        assert.ok(Object.hasOwn(SOURCES, outcome.source), `${entry.where}: unknown source ${outcome.source}`);
        assert.match(outcome.time, ISO_UTC_MILLIS, entry.where);
        assert.ok(outcome.recordId.length > 0, entry.where);
        assert.ok(outcome.recordType.length > 0, entry.where);
      }
    }
  });

  it('gives every event of a kind the same keys in the same order, nested groups included, whatever its record held', () => {
    // One shape per kind keeps V8's reads of event fields monomorphic; a mapper that drops absent keys breaks it.
    const shapes = new Map<string, Set<string>>();
    const note = (where: string, keys: string): void => {
      const seen = shapes.get(where) ?? new Set<string>();
      shapes.set(where, seen.add(keys));
    };
    const noteNested = (where: string, value: unknown): void => {
      if (Array.isArray(value)) for (const element of value) noteNested(`${where}[]`, element);
      if (!isObject(value)) return;
      note(where, Object.keys(value).join(','));
      for (const [field, nested] of Object.entries(value)) noteNested(`${where}.${field}`, nested);
    };
    for (const entry of lines()) {
      const outcome = normalizeRecord(entry.record);
      if (isSkip(outcome)) continue;
      note(outcome.kind, Object.keys(outcome).join(','));
      for (const [field, value] of Object.entries(outcome)) {
        // Actors and token identifiers reach the same detections from every kind: one shape across kinds.
        noteNested(`${field === 'actor' || field === 'token' ? 'every kind' : outcome.kind}.${field}`, value);
      }
    }
    assert.ok(
      expectedShapes.every((where) => shapes.has(where)),
      [...shapes.keys()].join(' '),
    );
    for (const [where, keyLists] of shapes) assert.equal(keyLists.size, 1, `${where} has ${keyLists.size} shapes: ${[...keyLists].join(' | ')}`);
  });

  it('decodes every record wrapped in an Event Hub envelope to the same record', () => {
    for (const entry of lines()) {
      assert.deepEqual(decodeMessage(`{"records":[${entry.text},${entry.text}]}`), [{ record: entry.record }, { record: entry.record }], entry.where);
    }
  });
}
