// User-supplied values quoted into messages: short, and with control characters made visible.

/** JSON-quoted, cut to `maxLength` characters so a huge cell never ends up in a report message. */
export function quoteForMessage(value: string, maxLength = 80): string {
  const shown = value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
  return JSON.stringify(shown);
}
