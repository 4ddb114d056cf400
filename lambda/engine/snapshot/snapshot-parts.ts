// snapshot.jsonl, made durable a batch at a time: each batch's lines are one part object in the job's state, put before
// the batch's intent is saved (so before any of its changes is sent), numbered by the checkpoint's counter — a batch
// prepared again after a kill overwrites its own part. The report joins the parts into snapshot.jsonl (docs/undo.md).
import type { Outcome } from '../outcomes.ts';
import type { ObjectStore } from '../ports.ts';
import { readText } from '../store-json.ts';
import type { SnapshotLine } from './snapshot-line.ts';

export const SNAPSHOT_CONTENT_TYPE = 'application/x-ndjson';

/** Outcomes after which the user was, or may have been, changed: only their lines go into snapshot.jsonl. */
export const CHANGED_OUTCOMES: ReadonlySet<Outcome> = new Set<Outcome>(['deleted', 'suspended', 'failed']);

export function snapshotPartKey(statePrefix: string, seq: number): string {
  return `${statePrefix}snapshot/${String(seq).padStart(6, '0')}.jsonl`;
}

export function snapshotKey(prefix: string): string {
  return `${prefix}snapshot.jsonl`;
}

export async function writeSnapshotPart(
  store: ObjectStore,
  statePrefix: string,
  seq: number,
  lines: readonly SnapshotLine[],
): Promise<void> {
  const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
  await store.put(snapshotPartKey(statePrefix, seq), text, SNAPSHOT_CONTENT_TYPE);
}

/**
 * Joins parts 0..parts-1 into snapshot.jsonl: each input line once — from the last part that holds it (the state right
 * before the change that was sent) — and only for the `changed` lines (a batch stopped before sending kept lines of
 * users it never changed).
 * Reads the parts twice (one part in memory at a time) instead of holding the snapshot.
 */
export async function joinSnapshot(
  store: ObjectStore,
  statePrefix: string,
  parts: number,
  key: string,
  changed: ReadonlySet<number>,
): Promise<number> {
  const lastPart = new Map<number, number>();
  for (let seq = 0; seq < parts; seq += 1)
    for (const line of await readPart(store, statePrefix, seq)) lastPart.set(line.line, seq);
  let written = 0;
  async function* body(): AsyncGenerator<string> {
    for (let seq = 0; seq < parts; seq += 1) {
      const kept = (await readPart(store, statePrefix, seq)).filter(
        (line) => lastPart.get(line.line) === seq && changed.has(line.line),
      );
      written += kept.length;
      if (kept.length > 0) yield kept.map((line) => `${JSON.stringify(line)}\n`).join('');
    }
  }
  await store.put(key, body(), SNAPSHOT_CONTENT_TYPE);
  return written;
}

async function readPart(store: ObjectStore, statePrefix: string, seq: number): Promise<SnapshotLine[]> {
  const text = await readText(store, snapshotPartKey(statePrefix, seq));
  if (text === undefined) throw new Error(`job state is missing snapshot part ${seq}`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SnapshotLine);
}
