// The header line: which separator the file uses, and which identifier columns it has (docs/outcomes.md).
import type { IdentifierColumn, Separator } from './input-types.ts';
import { IDENTIFIER_COLUMNS, InputRejectedError } from './input-types.ts';
import { quoteForMessage } from './message-text.ts';

const SEPARATORS: readonly Separator[] = [',', ';', '\t'];

/** Header names compare case-insensitively after trimming and dropping surrounding quotes. */
export function normaliseHeaderName(name: string): string {
  let value = name.trim();
  if (
    value.length >= 2 &&
    ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
  ) {
    value = value.slice(1, -1).trim();
  }
  return value.toLowerCase();
}

function isIdentifierColumn(name: string): name is IdentifierColumn {
  return (IDENTIFIER_COLUMNS as readonly string[]).includes(name);
}

/**
 * The separator that splits the raw header line into the most identifier columns; on a tie the one that occurs in
 * the line (a one-column header "email" works with any of them: ',' is reported).
 */
export function detectSeparator(headerLine: string): Separator {
  let best: Separator = ',';
  let bestScore = -1;
  for (const separator of SEPARATORS) {
    const names = headerLine.split(separator).map(normaliseHeaderName);
    const known = new Set(names.filter(isIdentifierColumn)).size;
    const occurs = headerLine.includes(separator) ? 1 : 0;
    const score = known * 2 + occurs;
    if (score > bestScore) {
      best = separator;
      bestScore = score;
    }
  }
  return best;
}

/** Where each identifier column sits in a record; -1 when the header lacks it. */
export interface ColumnLayout {
  width: number;
  indexOf: Record<IdentifierColumn, number>;
  columns: IdentifierColumn[];
  ignoredColumns: string[];
}

const MAX_NAMES_IN_MESSAGE = 10;

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_IN_MESSAGE).map((name) => quoteForMessage(name, 40));
  const more = names.length > MAX_NAMES_IN_MESSAGE ? ` and ${names.length - MAX_NAMES_IN_MESSAGE} more` : '';
  return shown.join(', ') + more;
}

/** Reads the header record; throws InputRejectedError for no identifier column or one given twice. */
export function readHeader(cells: readonly string[], separator: Separator, line: number): ColumnLayout {
  const indexOf: Record<IdentifierColumn, number> = { id: -1, username: -1, email: -1 };
  const columns: IdentifierColumn[] = [];
  const ignoredColumns: string[] = [];
  cells.forEach((cell, index) => {
    const name = normaliseHeaderName(cell);
    if (isIdentifierColumn(name)) {
      if (indexOf[name] !== -1) {
        throw new InputRejectedError(
          'duplicate-column',
          `The header (line ${line}) has the column "${name}" twice (columns ${indexOf[name] + 1} and ${index + 1}); keep only one.`,
          line,
        );
      }
      indexOf[name] = index;
      columns.push(name);
    } else if (name !== '') {
      ignoredColumns.push(cell.trim());
    }
  });
  if (columns.length === 0) {
    const shownSeparator = separator === '\t' ? 'tab' : `"${separator}"`;
    const found = ignoredColumns.length > 0 ? `it has ${listNames(ignoredColumns)}` : 'it has no column names';
    throw new InputRejectedError(
      'no-known-columns',
      `The header (line ${line}) has none of the columns id, username, email (separator ${shownSeparator}; ${found}). ` +
        'The first line must name the columns, e.g. "email" or "id,username,email".',
      line,
    );
  }
  return { width: cells.length, indexOf, columns, ignoredColumns };
}

export function ignoredColumnsWarning(ignoredColumns: readonly string[]): string | undefined {
  if (ignoredColumns.length === 0) return undefined;
  return `ignored column${ignoredColumns.length === 1 ? '' : 's'} (not id, username or email): ${listNames(ignoredColumns)}`;
}
