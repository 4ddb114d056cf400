// Short hashes of identifier values: lets the engine keep "which values does the file ask for" for a million rows
// in small-integer Sets. A collision only makes a filter keep a user it did not need; every match is re-checked exactly.

import { textKey } from './identifier-text.ts';

/** FNV-1a over UTF-16 code units of the value's textKey, folded to 30 bits so V8 keeps it as a small integer. */
export function valueHash(value: string): number {
  const text = textKey(value);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> 30)) & 0x3fffffff;
}
