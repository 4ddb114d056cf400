// Byte-level UTF-8 helpers for streaming validation (chunk boundaries may split a character).

/** Length of an incomplete UTF-8 sequence at the end of `bytes` (0–3) that the next chunk may complete. */
export function incompleteTailLength(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let index = end - 1; index >= 0 && index >= end - 3; index--) {
    const byte = bytes[index]!;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return end - index < needed ? end - index : 0;
    }
  }
  return 0;
}

export interface Utf8ScanResult {
  /** Offset of the first byte that is not valid UTF-8, or -1. A sequence cut off at the end counts as invalid. */
  invalidAt: number;
  /** Whether a valid multi-byte character occurs before `invalidAt`. */
  multibyteBefore: boolean;
}

/** Exact UTF-8 validation (no overlongs, no surrogates, ≤ U+10FFFF); used only on the rare failing chunk. */
export function scanUtf8(bytes: Uint8Array): Utf8ScanResult {
  let multibyteBefore = false;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let length: number;
    let secondMin = 0x80;
    let secondMax = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) secondMin = 0xa0;
      if (lead === 0xed) secondMax = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) secondMin = 0x90;
      if (lead === 0xf4) secondMax = 0x8f;
    } else return { invalidAt: index, multibyteBefore };
    if (index + length > bytes.length) return { invalidAt: index, multibyteBefore };
    const second = bytes[index + 1]!;
    if (second < secondMin || second > secondMax) return { invalidAt: index, multibyteBefore };
    for (let next = 2; next < length; next++) {
      const continuation = bytes[index + next]!;
      if (continuation < 0x80 || continuation > 0xbf) return { invalidAt: index, multibyteBefore };
    }
    multibyteBefore = true;
    index += length;
  }
  return { invalidAt: -1, multibyteBefore };
}
