// CSV cells for files people open in spreadsheets.

/** A cell a spreadsheet will not run as a formula: one starting with = + - @ tab or CR gets a leading apostrophe. */
export function formulaSafeCell(value: string): string {
  // Many of a report's cells are empty (reason, message, unused identifier columns): no pattern to run for those.
  if (value === '') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** RFC 4180 quoting: a value with a separator, quote, line break or outer space is quoted, inner quotes doubled. */
export function csvField(value: string): string {
  if (value === '') return value;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
