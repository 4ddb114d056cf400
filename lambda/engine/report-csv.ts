// report.csv's rows (docs/reports.md): the reviewer's column order, the input's own separator, formulas neutralised.
import type { CsvSeparator } from './csv-cells.ts';
import { csvLine, formulaSafeCell } from './csv-cells.ts';
import type { IdentifierMatches, RowOutcome } from './outcomes.ts';
import { userStatusLabel } from './user-status.ts';

export const REPORT_CSV_COLUMNS = [
  'line',
  'outcome',
  'reason',
  'id',
  'username',
  'email',
  'user_id',
  'user_username',
  'user_email',
  'user_name',
  'user_status',
  'user_last_login',
  'message',
] as const;

export function reportCsvHeader(separator: CsvSeparator): string {
  return csvLine(REPORT_CSV_COLUMNS, separator);
}

export function reportCsvLine(row: RowOutcome, separator: CsvSeparator): string {
  return csvLine(reportCsvCells(row).map(formulaSafeCell), separator);
}

export function reportCsvCells(row: RowOutcome): string[] {
  const { user } = row;
  return [
    String(row.line),
    row.outcome,
    row.reason ?? '',
    row.input.id ?? '',
    row.input.username ?? '',
    row.input.email ?? '',
    user ? String(user.id) : '',
    user?.username ?? '',
    user?.email ?? '',
    user?.name ?? '',
    userStatusLabel(user?.status),
    user?.lastLogin ?? '',
    rowMessage(row),
  ];
}

/** The message, followed by what a reviewer needs to settle an ambiguous or mismatched row: the users' ids. */
export function rowMessage(row: RowOutcome): string {
  const details: string[] = [];
  if (row.candidates) details.push(`candidates: ${row.candidates.join(', ')}`);
  if (row.matches) details.push(describeMatches(row.matches));
  return [row.message ?? '', ...details].filter((part) => part !== '').join('; ');
}

const MATCH_FIELDS = ['id', 'username', 'email'] as const;

/** "id → 1001, email → 1002, username → no user": fixed order, whatever order the lookups answered in. */
export function describeMatches(matches: IdentifierMatches): string {
  return MATCH_FIELDS.flatMap((field) => {
    const ids = matches[field];
    if (ids === undefined) return [];
    return [`${field} → ${ids.length === 0 ? 'no user' : ids.join(' or ')}`];
  }).join(', ');
}
