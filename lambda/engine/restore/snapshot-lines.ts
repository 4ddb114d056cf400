// The bytes of a snapshot (snapshot.jsonl or any subset of its lines) as numbered text lines, streamed: memory holds
// one line at a time, and a line longer than MAX_LINE_BYTES is cut off and reported instead of being buffered.

import type { DecodeState } from '../input/decode-input.ts';
import { decodeToUtf8 } from '../input/decode-input.ts';

/** A snapshot line is a few KB; one far larger is not a snapshot line, and is not kept in memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface TextLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** The line was longer than MAX_LINE_BYTES: `text` is empty (never kept). */
  cut?: true;
}

/** Every non-empty line (white space only counts as empty); "\n" and "\r\n" end a line. */
export async function* snapshotTextLines(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<TextLine> {
  const state: DecodeState = { encoding: 'utf-8', warnings: [] };
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let cut = false;
  let line = 1;
  const finish = (): TextLine | undefined => {
    const text = Buffer.concat(pending, pendingLength).toString('utf8').replace(/\r$/, '');
    pending = [];
    pendingLength = 0;
    const wasCut = cut;
    cut = false;
    const current = line;
    line += 1;
    if (!wasCut && text.trim() === '') return undefined;
    return wasCut ? { line: current, text, cut: true } : { line: current, text };
  };
  const keep = (piece: Buffer): void => {
    if (cut) return;
    if (pendingLength + piece.length > MAX_LINE_BYTES) {
      cut = true;
      pending = [];
      pendingLength = 0;
      return;
    }
    pending.push(Buffer.from(piece));
    pendingLength += piece.length;
  };
  for await (const chunk of decodeToUtf8(bytes, state)) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
      keep(chunk.subarray(start, end));
      const done = finish();
      if (done) yield done;
      start = end + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  const last = finish();
  if (last) yield last;
}
