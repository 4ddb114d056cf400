// Bytes in any accepted encoding → validated UTF-8 chunks for the CSV parser. Detects BOMs, binary files and
// Windows-1252 files; throws InputRejectedError for bytes that are not text.
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { binaryContentReason, recognisedBinaryFormat } from './binary-signatures.ts';
import type { TextEncoding } from './input-types.ts';
import { InputRejectedError } from './input-types.ts';
import { incompleteTailLength, scanUtf8 } from './utf8-scan.ts';

/** Enough bytes to see a BOM, a file signature and whether the start is text. */
const SNIFF_BYTES = 4096;

export const WINDOWS_1252_WARNING = 'file is not UTF-8; decoded as Windows-1252';

/** Filled in as the bytes are decoded; `encoding` may switch to windows-1252 mid-file (with a warning). */
export interface DecodeState {
  encoding: TextEncoding;
  warnings: string[];
}

const FORBIDDEN_IN_WINDOWS_1252 = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f]/;

function notText(reason: string): InputRejectedError {
  return new InputRejectedError('not-text', `The file is not a text CSV: it ${reason}.`);
}

async function readSniff(iterator: AsyncIterator<Uint8Array>): Promise<{ head: Buffer; ended: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) return { head: Buffer.concat(parts, length), ended: true };
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    parts.push(chunk);
    length += chunk.length;
  }
  return { head: Buffer.concat(parts, length), ended: false };
}

async function* remainingChunks(
  head: Buffer,
  ended: boolean,
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  if (ended) return;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    if (next.value.byteLength > 0) yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
  }
}

/** Decoded input as UTF-8 Buffers (no BOM). Rejections for the start of the file are thrown by the first `next()`. */
export async function* decodeToUtf8(bytes: AsyncIterable<Uint8Array>, state: DecodeState): AsyncGenerator<Buffer> {
  const iterator = bytes[Symbol.asyncIterator]();
  try {
    const { head, ended } = await readSniff(iterator);
    if (head.length === 0) throw new InputRejectedError('empty-file', 'The file is empty (0 bytes).');
    const looksLike = recognisedBinaryFormat(head);
    if (looksLike !== undefined) throw notText(`looks like ${looksLike}`);

    if (head[0] === 0xff && head[1] === 0xfe) {
      state.encoding = 'utf-16le';
      yield* decodeUtf16('utf-16le', remainingChunks(head, ended, iterator));
      return;
    }
    if (head[0] === 0xfe && head[1] === 0xff) {
      state.encoding = 'utf-16be';
      yield* decodeUtf16('utf-16be', remainingChunks(head, ended, iterator));
      return;
    }
    const hasBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    const body = hasBom ? head.subarray(3) : head;
    const binaryReason = binaryContentReason(body);
    if (binaryReason !== undefined) throw notText(binaryReason);
    state.encoding = 'utf-8';
    yield* decodeUtf8OrWindows1252(remainingChunks(body, ended, iterator), state, hasBom);
  } finally {
    await iterator.return?.();
  }
}

async function* decodeUtf16(encoding: 'utf-16le' | 'utf-16be', chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // The decoder drops the BOM itself (ignoreBOM: false).
  const decoder = new TextDecoder(encoding, { fatal: true });
  const name = encoding.toUpperCase();
  const invalid = (): InputRejectedError =>
    new InputRejectedError(
      'invalid-encoding',
      `The file starts with a ${name} byte-order mark but is not valid ${name} text; save it as UTF-8 CSV.`,
    );
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw invalid();
    }
    if (text.includes('\u0000')) throw notText('contains NUL characters');
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw invalid();
  }
  if (tail.includes('\u0000')) throw notText('contains NUL characters');
  if (tail.length > 0) yield Buffer.from(tail, 'utf8');
}

async function* decodeUtf8OrWindows1252(
  chunks: AsyncIterable<Buffer>,
  state: DecodeState,
  hasBom: boolean,
): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  let nonAsciiSeen = false;
  let windows1252: TextDecoder | undefined;

  const fromWindows1252 = (bytes: Buffer, decoder: TextDecoder): Buffer => {
    const text = decoder.decode(bytes);
    if (FORBIDDEN_IN_WINDOWS_1252.test(text)) throw notText('is not UTF-8 and contains control bytes');
    return Buffer.from(text, 'utf8');
  };
  // Invalid UTF-8 is read as Windows-1252 only when everything before it was plain ASCII (then both readings agree);
  // a file mixing valid UTF-8 characters with other bytes is refused rather than guessed.
  const switchToWindows1252 = (bytes: Buffer): TextDecoder => {
    const scan = scanUtf8(bytes);
    if (hasBom || nonAsciiSeen || scan.multibyteBefore) {
      throw new InputRejectedError(
        'invalid-encoding',
        hasBom
          ? 'The file starts with a UTF-8 byte-order mark but contains bytes that are not valid UTF-8; save it as UTF-8 CSV.'
          : 'The file mixes UTF-8 characters with bytes that are not valid UTF-8; save it as UTF-8 CSV.',
      );
    }
    state.encoding = 'windows-1252';
    state.warnings.push(WINDOWS_1252_WARNING);
    return new TextDecoder('windows-1252');
  };

  for await (const chunk of chunks) {
    if (windows1252 !== undefined) {
      yield fromWindows1252(chunk, windows1252);
      continue;
    }
    if (chunk.includes(0)) throw notText('contains NUL bytes');
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTailLength(bytes);
    const complete = tail > 0 ? bytes.subarray(0, bytes.length - tail) : bytes;
    if (isUtf8(complete)) {
      carry = tail > 0 ? Buffer.from(bytes.subarray(bytes.length - tail)) : Buffer.alloc(0);
      if (!nonAsciiSeen && !isAscii(complete)) nonAsciiSeen = true;
      if (complete.length > 0) yield complete;
    } else {
      windows1252 = switchToWindows1252(bytes);
      carry = Buffer.alloc(0);
      yield fromWindows1252(bytes, windows1252);
    }
  }
  if (carry.length > 0) {
    // A character cut off at the end of the file.
    windows1252 = switchToWindows1252(carry);
    yield fromWindows1252(carry, windows1252);
  }
}
