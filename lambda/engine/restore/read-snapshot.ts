// The validate step of a restore job (docs/restore.md): every non-empty line of the snapshot is one row, checked on its
// own; a file that does not begin with a JSON object is not a snapshot and is refused as a whole before any call.
import { textKey } from '../identifier-text.ts';
import { InputRejectedError } from '../input/input-types.ts';
import { SeenRows } from '../input/seen-rows.ts';
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import type { StoredRow } from '../stored-row.ts';
import { checkSnapshotLine, inputOfText, inputOfUser } from './snapshot-line-check.ts';
import type { TextLine } from './snapshot-lines.ts';
import { MAX_LINE_BYTES, snapshotTextLines } from './snapshot-lines.ts';

const WHAT_A_SNAPSHOT_IS = 'a restore reads a snapshot: JSON lines, one user a line, as in snapshot.jsonl';

/** Rows of the snapshot in file order, each exactly once; throws InputRejectedError for a file that is no snapshot. */
export async function* readSnapshotRows(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<StoredRow> {
  const seen = new SeenIdentities();
  let first = true;
  try {
    for await (const text of snapshotTextLines(bytes)) {
      if (first) refuseUnlessSnapshot(text);
      first = false;
      yield rowOf(text, seen);
    }
  } catch (error) {
    throw asSnapshotRefusal(error);
  }
  if (first) throw new InputRejectedError('empty-file', `The file has no lines: ${WHAT_A_SNAPSHOT_IS}.`);
}

function rowOf(text: TextLine, seen: SeenIdentities): StoredRow {
  const { line } = text;
  if (text.cut) return rejected(line, {}, `the line is longer than ${MAX_LINE_BYTES / 1024} KiB: not a snapshot line`);
  const checked = checkSnapshotLine(text.text);
  if ('problem' in checked) return rejected(line, inputOfText(text.text), checked.problem.slice(0, 200));
  const snapshot = checked.line;
  const input = inputOfUser(snapshot.user);
  const earlier = seen.earlierLine(snapshot, line);
  if (earlier !== undefined)
    return { line, input, outcome: 'rejected', reason: 'duplicate', message: `names the same user as line ${earlier}` };
  const key: NonNullable<StoredRow['key']> = { id: snapshot.user.id };
  if (typeof snapshot.user.username === 'string') key.username = snapshot.user.username;
  if (typeof snapshot.user.email === 'string') key.email = snapshot.user.email;
  return { line, input, key, snapshot };
}

function rejected(line: number, input: StoredRow['input'], message: string): StoredRow {
  return { line, input, outcome: 'rejected', reason: 'malformed-row', message };
}

/** A file whose first line is no JSON object is not a snapshot at all (a CSV uploaded by mistake, a report.json …). */
function refuseUnlessSnapshot(first: TextLine): void {
  const text = first.text.trim();
  let isObject = false;
  if (!first.cut && text.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      isObject = false;
    }
  }
  if (isObject) return;
  const looksLikeCsv = !text.startsWith('{') && !text.startsWith('[') && /[,;\t]/.test(text);
  const what = looksLikeCsv
    ? 'it looks like a CSV (upload a CSV of users to delete under dry-run/ or live/, not restore/)'
    : `its first line (line ${first.line}) is not a JSON object`;
  throw new InputRejectedError(
    'not-snapshot',
    `The file is not a snapshot: ${what}; ${WHAT_A_SNAPSHOT_IS}.`,
    first.line,
  );
}

/** Decoding refusals (binary, not text) are said in a restore's words. */
function asSnapshotRefusal(error: unknown): unknown {
  if (!(error instanceof InputRejectedError) || error.code === 'not-snapshot' || error.code === 'empty-file')
    return error;
  const said = /: it ([^;]+?)(?:;|\.$)/.exec(error.message)?.[1];
  const detail = said === undefined ? 'it is not UTF-8 text' : `it ${said}`;
  return new InputRejectedError('not-snapshot', `The file is not a snapshot: ${detail}; ${WHAT_A_SNAPSHOT_IS}.`);
}

/**
 * The users earlier lines named: the same old id twice, or a deleted user's username or email twice (two lines would
 * create one user), is a duplicate. Hashes in typed arrays (SeenRows): a few bytes a line.
 */
class SeenIdentities {
  private readonly ids = new SeenRows();
  private readonly names = new SeenRows();

  earlierLine(snapshot: SnapshotLine, line: number): number | undefined {
    const byId = this.ids.firstLineOrAdd(String(snapshot.user.id), line);
    if (byId !== undefined || snapshot.action !== 'delete') return byId;
    let earlier: number | undefined;
    for (const field of ['username', 'email'] as const) {
      const value = snapshot.user[field];
      if (typeof value !== 'string' || value.trim() === '') continue;
      earlier ??= this.names.firstLineOrAdd(`${field}\u0000${textKey(value)}`, line);
    }
    return earlier;
  }
}
