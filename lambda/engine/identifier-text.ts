// One reading of identifier values, the same for rows, protect values and plans (docs/outcomes.md, "Reading values").

// JavaScript's trim() covers the Unicode space separators and line terminators; NEL and the Mongolian vowel separator
// are white space too in some exports.
const EDGE_SPACE = /^[\s\u0085\u180e]+|[\s\u0085\u180e]+$/g;
// NFC maps the Kelvin sign to an ASCII "K": kept apart, so that a look-alike never names another user.
const KELVIN_SIGN = '\u212a';

/** The value without white space at its edges (NBSP and the other Unicode spaces included). */
export function trimValue(value: string): string {
  return value.replace(EDGE_SPACE, '');
}

// Printable ASCII with no space at either edge: already trimmed and in NFC (most values; a million-row file reads each).
const PLAIN_ASCII = /^[!-~](?:[ -~]*[!-~])?$/;

/** The form in which two texts (usernames, emails) are compared: trimmed, Unicode NFC, simple lower case. */
export function textKey(value: string): string {
  if (PLAIN_ASCII.test(value)) return value.toLowerCase();
  return trimValue(value)
    .split(KELVIN_SIGN)
    .map((part) => part.normalize('NFC').toLowerCase())
    .join(KELVIN_SIGN);
}

/** True when both are present and read as the same text. */
export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return textKey(a) === textKey(b);
}
