// CSV cells for files people open in spreadsheets.

/** A cell a spreadsheet will not run as a formula: one starting with = + - @ tab or CR gets a leading apostrophe. */
export function formulaSafeCell(value: string): string {
  // Many of a report's cells are empty (reason, message, unused identifier columns): no pattern to run for those.
  if (value === '') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export type CsvSeparator = ',' | ';' | '\t';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES: Record<CsvSeparator, RegExp> = {
  ',': /[",\r\n]|^\s|\s$/,
  ';': /[";\r\n]|^\s|\s$/,
  '\t': /["\t\r\n]|^\s|\s$/,
};

/** RFC 4180 quoting: a value with the separator, a quote, a line break or outer space is quoted, inner quotes doubled. */
export function csvField(value: string, separator: CsvSeparator = ','): string {
  if (value === '') return value;
  return NEEDS_QUOTES[separator].test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[], separator: CsvSeparator = ','): string {
  return `${values.map((value) => csvField(value, separator)).join(separator)}\r\n`;
}

/** Spreadsheets (Excel in particular) read a file as UTF-8 only when it starts with a byte order mark. */
export const UTF8_BOM = '\uFEFF';
