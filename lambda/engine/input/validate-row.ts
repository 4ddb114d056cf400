// The row rules of docs/outcomes.md for one data record (duplicates are checked by the reader, across rows).

import { trimValue } from '../identifier-text.ts';
import type { RejectReason, RowInput } from '../outcomes.ts';
import type { ColumnLayout } from './header.ts';
import type { RejectedRow, ValidRow } from './input-types.ts';
import { quoteForMessage } from './message-text.ts';

/** Larger cells make the row malformed: no identifier is that long, and reports must stay small. */
export const MAX_CELL_BYTES = 64 * 1024;
/** What of an oversized cell is kept in the row's `input` for the report. */
const OVERSIZED_CELL_KEPT_CHARS = 100;

// C0, DEL and C1 controls: never part of a real identifier; they point at a broken export.
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const DECIMAL_DIGITS = /^[0-9]+$/;
const WHITESPACE = /\s/;
// Characters that show an address was not extracted cleanly ("Name <a@b>", "a@b; c@d", "\"a@b\"").
const NOT_IN_EMAIL = /["<>(),;:[\]\\]/;

function isOversized(value: string): boolean {
  // A UTF-8 character takes at most 3 bytes per UTF-16 code unit, so most cells skip the byte count.
  return value.length * 3 > MAX_CELL_BYTES && Buffer.byteLength(value, 'utf8') > MAX_CELL_BYTES;
}

function keptForReport(value: string): string {
  if (!isOversized(value)) return value;
  return `${value.slice(0, OVERSIZED_CELL_KEPT_CHARS)}… (cut: ${Buffer.byteLength(value, 'utf8')} bytes)`;
}

function rejected(line: number, input: RowInput, reason: RejectReason, message: string): RejectedRow {
  return { kind: 'rejected', line, input, reason, message };
}

/** Why a value would widen a search filter, else undefined. */
function wildcardProblem(value: string): string | undefined {
  if (value.includes('*')) return 'contains the wildcard "*"';
  if (value.startsWith('!')) return 'starts with "!" (a negated search)';
  return undefined;
}

/** The id as a number, or why it is not a valid one. Leading zeros are accepted ("007" is 7). */
export function parseUserId(value: string): number | string {
  if (!DECIMAL_DIGITS.test(value)) return 'must be a positive whole number written in digits 0-9 only';
  const digits = value.replace(/^0+/, '');
  if (digits === '') return 'must be a positive whole number (0 is not a user id)';
  if (digits.length > 16 || Number(digits) > Number.MAX_SAFE_INTEGER) return 'is too large to be a user id';
  return Number(digits);
}

/** Why a value is not an email address, else undefined: one "@", non-empty local part and domain, no spaces. */
export function emailProblem(value: string): string | undefined {
  if (CONTROL_CHARACTER.test(value)) return 'contains control characters';
  if (WHITESPACE.test(value)) return 'contains spaces';
  const at = value.indexOf('@');
  if (at === -1) return 'has no "@"';
  if (value.indexOf('@', at + 1) !== -1) return 'has more than one "@"';
  if (at === 0) return 'has nothing before the "@"';
  if (at === value.length - 1) return 'has nothing after the "@"';
  if (NOT_IN_EMAIL.test(value))
    return 'contains characters that are not part of a plain address (quotes, <>, commas, …)';
  return undefined;
}

function cellAt(cells: readonly string[], index: number): string | undefined {
  return index === -1 ? undefined : trimValue(cells[index] ?? '');
}

function wildcardRejection(
  line: number,
  input: RowInput,
  column: string,
  value: string | undefined,
): RejectedRow | undefined {
  if (!value) return undefined;
  const problem = wildcardProblem(value);
  return problem === undefined
    ? undefined
    : rejected(line, input, 'wildcard', `${column} ${quoteForMessage(value)} ${problem}`);
}

/** Validates one data record against the header layout. `cells` are raw (untrimmed) parser output. */
export function validateRow(cells: readonly string[], line: number, layout: ColumnLayout): ValidRow | RejectedRow {
  const { indexOf } = layout;
  const id = cellAt(cells, indexOf.id);
  const username = cellAt(cells, indexOf.username);
  const email = cellAt(cells, indexOf.email);

  const input: RowInput = {};
  if (id !== undefined) input.id = keptForReport(id);
  if (username !== undefined) input.username = keptForReport(username);
  if (email !== undefined) input.email = keptForReport(email);

  for (let index = 0; index < cells.length; index++) {
    if (isOversized(cells[index]!)) {
      return rejected(line, input, 'malformed-row', `cell ${index + 1} is larger than ${MAX_CELL_BYTES / 1024} KiB`);
    }
  }
  if (cells.length > layout.width) {
    const extra = cells.slice(layout.width).filter((cell) => trimValue(cell) !== '').length;
    if (extra > 0) {
      return rejected(
        line,
        input,
        'malformed-row',
        `row has ${cells.length} cells but the header has ${layout.width} (a separator inside an unquoted value?)`,
      );
    }
  }
  if (!id && !username && !email)
    return rejected(line, input, 'missing-identifier', 'row has no id, username or email');

  const wildcard =
    wildcardRejection(line, input, 'id', id) ??
    wildcardRejection(line, input, 'username', username) ??
    wildcardRejection(line, input, 'email', email);
  if (wildcard !== undefined) return wildcard;

  const row: ValidRow = { kind: 'valid', line, input };
  if (id) {
    const parsed = parseUserId(id);
    if (typeof parsed === 'string') return rejected(line, input, 'invalid-id', `id ${quoteForMessage(id)} ${parsed}`);
    row.id = parsed;
  }
  if (username) {
    if (CONTROL_CHARACTER.test(username)) {
      return rejected(
        line,
        input,
        'malformed-row',
        `username ${quoteForMessage(username)} contains control characters`,
      );
    }
    row.username = username;
  }
  if (email) {
    const problem = emailProblem(email);
    if (problem !== undefined)
      return rejected(line, input, 'invalid-email', `email ${quoteForMessage(email)} ${problem}`);
    row.email = email;
  }
  return row;
}
