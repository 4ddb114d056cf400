// Any table written as CSV (quoted where needed, any line ending, blank lines, any chunking) comes back with each
// row's trimmed identifier cells and the line the row starts on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Separator } from '../../lambda/engine/input/input-types.ts';
import { readAll } from './read-helpers.ts';

const cellArbitrary = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'bob',
    'Bob Smith',
    'a@b.c',
    ' x@y.z ',
    '42',
    '007',
    'a,b',
    'a;b',
    'a\tb',
    'say "hi"',
    'l1\nl2',
    'l1\r\nl2',
    'é😀',
    'x*',
    '!y',
  ),
  fc.string({ maxLength: 6 }),
);

function quoted(cell: string, separator: Separator): string {
  const needsQuotes = cell.includes(separator) || /["\r\n]/.test(cell) || cell !== cell.trim() || cell === '';
  return needsQuotes ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

describe('round trip', () => {
  it('returns every row with its start line and trimmed cells', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Separator>(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(
          fc.record({ blankBefore: fc.nat({ max: 2 }), cells: fc.tuple(cellArbitrary, cellArbitrary, cellArbitrary) }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 40 }),
        async (separator, eol, rows, chunkSize) => {
          let text = ['id', 'note', 'email'].join(separator) + eol;
          let line = 2;
          const expected: Array<{ line: number; id: string; email: string }> = [];
          for (const row of rows) {
            text += eol.repeat(row.blankBefore);
            line += row.blankBefore;
            // A record whose cells are all blank is a blank line only when it is a single cell; ours has three.
            const record = row.cells.map((cell) => quoted(cell, separator)).join(separator);
            text += record + eol;
            expected.push({ line, id: row.cells[0].trim(), email: row.cells[2].trim() });
            line += lineBreaks(record) + 1;
          }
          const result = await readAll(text, chunkSize);
          expect(result.header.separator).toBe(separator);
          expect(result.rows.map((row) => ({ line: row.line, id: row.input.id, email: row.input.email }))).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
