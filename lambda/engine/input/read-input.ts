// Phase 1 (read + validate, docs/outcomes.md): stream a CSV, detect encoding and separator, check the header,
// validate every row and flag duplicates. Never holds more than one record and a small index per row.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser } from 'csv-parse';
import type { DecodeState } from './decode-input.ts';
import { decodeToUtf8 } from './decode-input.ts';
import type { ColumnLayout } from './header.ts';
import { detectSeparator, ignoredColumnsWarning, readHeader } from './header.ts';
import type { InputHeader, InputReader, Separator, ValidatedRow } from './input-types.ts';
import { InputRejectedError } from './input-types.ts';
import { countLineBreaks } from './line-breaks.ts';
import { duplicateKey, SeenRows } from './seen-rows.ts';
import { validateRow } from './validate-row.ts';

/** The first non-blank line must end within this many bytes. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** A record larger than this refuses the whole file (keeps memory bounded; a cell over 64 KiB only rejects its row). */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** A record as the parser hands it over: its cells and the line it starts on. */
interface LocatedRecord {
  cells: string[];
  line: number;
}

interface CsvParseError extends Error {
  code: string;
}

function isCsvParseError(error: unknown): error is CsvParseError {
  if (!(error instanceof Error)) return false;
  const { code } = error as Partial<CsvParseError>;
  return typeof code === 'string' && code.startsWith('CSV_');
}

/**
 * csv-parse's stream, handing over each record with the 1-based line it starts on ("\r\n", "\n" and a lone "\r"
 * are one break each; csv-parse's own `info.lines` counts a "\r\n" inside quotes twice, and `info: true` costs a
 * quarter of the parse time). Empty lines reach push() as one-empty-cell records, so every line break is accounted
 * for: a record spans the breaks inside its quoted cells plus its own end of line. Counting happens as csv-parse
 * pushes, synchronously and in order, so it stays right even when an error discards records not yet read.
 */
class LocatingParser extends Parser {
  private breaksBefore = 0;

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null);
    // Without `columns`, `info` or `raw`, csv-parse pushes each record as an array of strings.
    const cells = chunk as string[];
    const line = this.breaksBefore + 1;
    let inside = 0;
    for (const cell of cells) if (cell.length > 0) inside += countLineBreaks(cell);
    this.breaksBefore = line + inside;
    if (isBlankRecord(cells)) return true;
    const record: LocatedRecord = { cells, line };
    return super.push(record, encoding);
  }

  /** Where the record being parsed starts (for an error that stops the parser in the middle of it). */
  get currentRecordLine(): number {
    return this.breaksBefore + 1;
  }
}

function asInputRejection(error: unknown, parser: LocatingParser): unknown {
  if (!isCsvParseError(error)) return error;
  const line = parser.currentRecordLine;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InputRejectedError(
        'unparseable',
        `A quoted value opened on line ${line} is never closed: the file ends inside quotes. Check the quotes on that line.`,
        line,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new InputRejectedError(
        'too-large-cell',
        `The record starting on line ${line} is larger than ${MAX_RECORD_BYTES / (1024 * 1024)} MiB (a quote that is never closed?).`,
        line,
      );
    default:
      return new InputRejectedError(
        'unparseable',
        `The file could not be read as CSV at the record starting on line ${line} (${error.code}).`,
        line,
      );
  }
}

function isBlankRecord(cells: readonly string[]): boolean {
  return cells.length === 1 && cells[0]!.trim() === '';
}

function noHeader(): InputRejectedError {
  return new InputRejectedError('empty-file', 'The file has no header line: it contains only blank lines.');
}

interface Prefetched {
  read: Buffer[];
  headerLine: string | undefined;
  ended: boolean;
}

function headerTooLong(): InputRejectedError {
  return new InputRejectedError(
    'header-too-long',
    `The first line is longer than ${MAX_HEADER_BYTES / 1024} KiB; it must be a header such as "id,username,email".`,
    1,
  );
}

function indexOfLineBreak(bytes: Buffer, from: number): number {
  const lf = bytes.indexOf(0x0a, from);
  const cr = bytes.indexOf(0x0d, from);
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
}

/** Reads decoded chunks until the first non-blank line is complete; returns the chunks read and that line. */
async function prefetchHeaderLine(chunks: AsyncIterator<Buffer>): Promise<Prefetched> {
  const read: Buffer[] = [];
  let line: Buffer[] = [];
  let lineLength = 0;
  const finishLine = (): string | undefined => {
    if (lineLength > MAX_HEADER_BYTES) throw headerTooLong();
    const text = Buffer.concat(line, lineLength).toString('utf8');
    line = [];
    lineLength = 0;
    // Lines of only separators and quotes carry no names: the parser skips them before the header too.
    return /^[\s,;"]*$/.test(text) ? undefined : text;
  };
  for (;;) {
    const next = await chunks.next();
    if (next.done) return { read, headerLine: finishLine(), ended: true };
    const chunk = next.value;
    read.push(chunk);
    let start = 0;
    for (;;) {
      const lineBreak = indexOfLineBreak(chunk, start);
      const piece = chunk.subarray(start, lineBreak === -1 ? chunk.length : lineBreak);
      line.push(piece);
      lineLength += piece.length;
      if (lineBreak === -1) break;
      const headerLine = finishLine();
      if (headerLine !== undefined) return { read, headerLine, ended: false };
      start = lineBreak + 1;
    }
    if (lineLength > MAX_HEADER_BYTES) throw headerTooLong();
  }
}

/** Opens the input: decodes, finds the header and returns it with a lazy iterator over the validated rows. */
export async function readInput(bytes: AsyncIterable<Uint8Array>): Promise<InputReader> {
  const state: DecodeState = { encoding: 'utf-8', warnings: [] };
  const decoded = decodeToUtf8(bytes, state);
  let prefetched: Prefetched;
  try {
    prefetched = await prefetchHeaderLine(decoded);
  } catch (error) {
    await decoded.return(undefined);
    throw error;
  }
  if (prefetched.headerLine === undefined) throw noHeader();
  const separator = detectSeparator(prefetched.headerLine);
  const parser = parserOver(decoded, prefetched, separator);
  // Readable iterators are typed `any`; LocatingParser pushes LocatedRecord.
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<LocatedRecord>;
  const layout = await readLayout(records, parser, separator);
  const warning = ignoredColumnsWarning(layout.ignoredColumns);
  if (warning !== undefined) state.warnings.push(warning);
  // The header is the decoder's own state object, so an encoding switch found later shows in header.encoding.
  const header: InputHeader = Object.assign(state, {
    separator,
    columns: layout.columns,
    ignoredColumns: layout.ignoredColumns,
  });
  const iterator = validatedRows(records, parser, layout);
  // A generator never started ignores return(); the parser (and the source under it) must still be released.
  const finish = iterator.return.bind(iterator);
  iterator.return = async (value) => {
    parser.destroy();
    return finish(value);
  };
  return { header, rows: iterator };
}

/** The CSV parser over the bytes already read for the header, then the rest of the decoded input. */
function parserOver(decoded: AsyncIterable<Buffer>, prefetched: Prefetched, separator: Separator): LocatingParser {
  const parser = new LocatingParser({
    delimiter: separator,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    // Blank lines are dropped by LocatingParser, which needs to see them to count lines.
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  async function* source(): AsyncGenerator<Buffer> {
    yield* prefetched.read;
    if (prefetched.ended) return;
    yield* decoded;
  }
  // Errors (including decoding rejections) reach the reader through the parser's iterator.
  pipeline(Readable.from(source()), parser).catch(() => undefined);
  return parser;
}

/** The first record that is not blank is the header. */
async function readLayout(
  records: AsyncIterator<LocatedRecord>,
  parser: LocatingParser,
  separator: Separator,
): Promise<ColumnLayout> {
  try {
    for (;;) {
      const next = await records.next();
      if (next.done) throw noHeader();
      // A line of only separators before the header is blank too (it carries no names).
      if (next.value.cells.every((cell) => cell.trim() === '')) continue;
      return readHeader(next.value.cells, separator, next.value.line);
    }
  } catch (error) {
    parser.destroy();
    throw asInputRejection(error, parser);
  }
}

/** The data rows after the header, each validated; a row naming the same identifiers as an earlier one is a duplicate. */
async function* validatedRows(
  records: AsyncIterator<LocatedRecord>,
  parser: LocatingParser,
  layout: ColumnLayout,
): AsyncGenerator<ValidatedRow> {
  const seen = new SeenRows();
  try {
    for (;;) {
      let next: IteratorResult<LocatedRecord>;
      try {
        next = await records.next();
      } catch (error) {
        throw asInputRejection(error, parser);
      }
      if (next.done) return;
      const { cells, line } = next.value;
      const row = validateRow(cells, line, layout);
      const firstLine = row.kind === 'valid' ? seen.firstLineOrAdd(duplicateKey(row), line) : undefined;
      if (firstLine !== undefined) {
        const message = `same identifiers as line ${firstLine}`;
        yield { kind: 'rejected', line, input: row.input, reason: 'duplicate', message };
      } else yield row;
    }
  } finally {
    parser.destroy();
  }
}
