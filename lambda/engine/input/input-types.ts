// The contract of phase 1 (read + validate, docs/outcomes.md): what the engine core gets from the input reader.
// The reader itself is `readInput` in ./read-input.ts.
import type { RejectReason, RowInput } from '../outcomes.ts';

export type Separator = ',' | ';' | '\t';
/** The encoding the bytes were decoded with. 'windows-1252' only for files that are not valid UTF-8 (header.warnings says so). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type IdentifierColumn = 'id' | 'username' | 'email';
export const IDENTIFIER_COLUMNS: readonly IdentifierColumn[] = ['id', 'username', 'email'];

/** A row that passed every row rule. username/email are trimmed and keep their original case. */
export interface ValidRow {
  kind: 'valid';
  /** 1-based line where the row starts (header is line 1; blank lines count). */
  line: number;
  input: RowInput;
  id?: number;
  username?: string;
  email?: string;
}

export interface RejectedRow {
  kind: 'rejected';
  line: number;
  input: RowInput;
  reason: RejectReason;
  message: string;
}

export type ValidatedRow = ValidRow | RejectedRow;

export interface InputHeader {
  /** Encoding detected at the start. Switches to 'windows-1252' if invalid UTF-8 shows up later (a warning is added). */
  encoding: TextEncoding;
  separator: Separator;
  /** Identifier columns present, in header order. */
  columns: IdentifierColumn[];
  /** Other header names, ignored (as written, trimmed). */
  ignoredColumns: string[];
  /** Human-readable; may grow while `rows` is read (e.g. an encoding fallback found mid-file): read it after the rows. */
  warnings: string[];
}

export type InputRejectionCode =
  | 'empty-file'
  | 'not-text'
  | 'invalid-encoding'
  | 'no-known-columns'
  | 'duplicate-column'
  | 'header-too-long'
  | 'unparseable'
  | 'too-large-cell'
  /** A restore's input is not a snapshot (JSON lines): e.g. a CSV uploaded under restore/ by mistake. */
  | 'not-snapshot';

/** The whole file is refused. `message` is safe to show a user: it never echoes large or binary content. */
export class InputRejectedError extends Error {
  readonly code: InputRejectionCode;
  /** 1-based line the problem was found at, when known. */
  readonly line: number | undefined;

  constructor(code: InputRejectionCode, message: string, line?: number) {
    super(message);
    this.name = 'InputRejectedError';
    this.code = code;
    this.line = line;
  }
}

export interface InputReader {
  header: InputHeader;
  /**
   * Every data row, in file order, exactly once. Empty and whitespace-only lines are not rows: they are skipped
   * (but count for line numbers); a line of only separators (",,") is a row ('missing-identifier').
   * Iterate once, to the end or until return() (which releases the source). Throws InputRejectedError for
   * whole-file problems found later in the file; rows already yielded must then be discarded.
   */
  rows: AsyncIterable<ValidatedRow>;
}

/**
 * Signature of `readInput` (./read-input.ts). Throws InputRejectedError for problems seen at the start — and for any
 * whole-file problem that lies within the first bytes it reads (a small file with an unclosed quote, say).
 */
export type ReadInput = (bytes: AsyncIterable<Uint8Array>) => Promise<InputReader>;
