// CSV cells for files people open in spreadsheets.

/** A cell a spreadsheet will not run as a formula: one starting with = + - @ tab or CR gets a leading apostrophe. */
export function formulaSafeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: a value with a separator, quote, line break or outer space is quoted, inner quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
