// Shared helpers for the input reader tests: feed bytes in chosen chunk sizes and collect what comes out.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { InputHeader, InputRejectedError, ValidatedRow } from '../../lambda/engine/input/input-types.ts';
import { readInput } from '../../lambda/engine/input/read-input.ts';

export function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** The bytes as a stream of chunks of `chunkSize` bytes (or cycling through sizes when given several). */
export async function* chunked(input: string | Uint8Array, ...chunkSizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = bytesOf(input);
  const sizes = chunkSizes.length > 0 ? chunkSizes : [bytes.length || 1];
  let offset = 0;
  let turn = 0;
  while (offset < bytes.length) {
    const size = sizes[turn++ % sizes.length]!;
    yield bytes.slice(offset, offset + size);
    offset += size;
  }
}

export interface ReadResult {
  header: InputHeader;
  rows: ValidatedRow[];
}

export async function readAll(input: string | Uint8Array, ...chunkSizes: number[]): Promise<ReadResult> {
  const reader = await readInput(chunked(input, ...chunkSizes));
  const rows: ValidatedRow[] = [];
  for await (const row of reader.rows) rows.push(row);
  return { header: reader.header, rows };
}

/** The rejection raised while opening or reading, or a failure if the file was accepted. */
export async function rejectionOf(input: string | Uint8Array, ...chunkSizes: number[]): Promise<InputRejectedError> {
  try {
    await readAll(input, ...chunkSizes);
  } catch (error) {
    if (error instanceof Error && error.name === 'InputRejectedError') return error as InputRejectedError;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

export async function fixture(name: string): Promise<Uint8Array> {
  return readFile(fileURLToPath(new URL(`../fixtures/input/${name}`, import.meta.url)));
}

/** Rows reduced to what most tests compare: line, kind and reason. */
export function summary(rows: readonly ValidatedRow[]): string[] {
  return rows.map((row) => `${row.line}:${row.kind === 'valid' ? 'valid' : row.reason}`);
}
