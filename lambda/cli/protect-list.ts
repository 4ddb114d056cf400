// Parses a --protect-file: one value a line (blank lines and # comments ignored), a CSV with the input's header rules
// (id, username, email columns), or JSON (an array, or { "protect": [...] }). docs/cli.md, "Protecting users".
import { parse } from 'csv-parse/sync';
import { detectSeparator, normaliseHeaderName } from '../engine/input/header.ts';
import { IDENTIFIER_COLUMNS, type IdentifierColumn } from '../engine/input/input-types.ts';

export interface ProtectItem {
  value: string;
  field?: IdentifierColumn;
}

export function parseProtectList(text: string, fileName: string): ProtectItem[] {
  const content = text.replace(/^\uFEFF/, '');
  const trimmed = content.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseJsonList(trimmed, fileName);
  const lines = content.split(/\r\n|\n|\r/);
  const first = lines.find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (first !== undefined && headerColumns(first).length > 0) return parseCsvList(content, first, fileName);
  return lines
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((value) => ({ value }));
}

/** The identifier columns a line names when read as a header (none for a plain value). */
function headerColumns(line: string): IdentifierColumn[] {
  const names = line.split(detectSeparator(line)).map(normaliseHeaderName);
  return IDENTIFIER_COLUMNS.filter((column) => names.includes(column));
}

function parseCsvList(content: string, headerLine: string, fileName: string): ProtectItem[] {
  let records: string[][];
  try {
    records = parse(content, {
      delimiter: detectSeparator(headerLine),
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
    });
  } catch (error) {
    throw new Error(
      `${fileName} looks like a CSV (it has a header line) but does not parse: ${(error as Error).message}`,
    );
  }
  const [header = [], ...rows] = records;
  const columns = header.map(normaliseHeaderName);
  const items: ProtectItem[] = [];
  for (const row of rows) {
    columns.forEach((name, index) => {
      const value = row[index]?.trim() ?? '';
      if (value !== '' && (IDENTIFIER_COLUMNS as readonly string[]).includes(name)) {
        items.push({ value, field: name as IdentifierColumn });
      }
    });
  }
  return items;
}

function parseJsonList(text: string, fileName: string): ProtectItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} looks like JSON but does not parse: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { protect?: unknown } | null)?.protect;
  if (!Array.isArray(list)) throw new Error(`${fileName} must hold a JSON array of values, or { "protect": [ ... ] }`);
  return list.map((item, index) => {
    if (typeof item === 'number' && Number.isSafeInteger(item) && item > 0) return { value: String(item) };
    if (typeof item === 'string' && item.trim() !== '') return { value: item.trim() };
    throw new Error(`${fileName}: item ${index + 1} is not a non-empty string or a user id`);
  });
}
