import { describe, expect, it } from 'vitest';
import type { RejectedRow } from '../../lambda/engine/input/input-types.ts';
import { MAX_RECORD_BYTES, readInput } from '../../lambda/engine/input/read-input.ts';
import { chunked, readAll, rejectionOf, summary } from './read-helpers.ts';

describe('quoting and line numbers', () => {
  it('gives each row the line where it starts, across quoted newlines and blank lines', async () => {
    const text = 'id,username,email\n1,"ann\nsmith",\n\n\n2,bob,"b@x.com"\n3,"c\r\nd",\n4,"e\rf",\n5,dave,\n';
    expect(summary((await readAll(text)).rows)).toEqual([
      '2:malformed-row',
      '6:valid',
      '7:malformed-row',
      '9:malformed-row',
      '11:valid',
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('counts lines with %s line endings', async (_name, eol) => {
    const text = ['email', 'a@x.com', '', '"b@x.com"', '"c', 'x"', 'd@x.com', ''].join(eol);
    expect(summary((await readAll(text)).rows)).toEqual(['2:valid', '4:valid', '5:invalid-email', '7:valid']);
  });

  it('handles mixed line endings in one file', async () => {
    const text = 'email\r\na@x.com\nb@x.com\rc@x.com\r\n\r\n"d\r\ne"\nf@x.com';
    expect(summary((await readAll(text)).rows)).toEqual([
      '2:valid',
      '3:valid',
      '4:valid',
      '6:invalid-email',
      '8:valid',
    ]);
  });

  it('unquotes doubled quotes and keeps separators inside quotes', async () => {
    const { rows } = await readAll('username,email\n"say ""hi""","a,b"\n"x, y",x@y.z\n');
    expect(rows[0]).toMatchObject({
      kind: 'rejected',
      reason: 'invalid-email',
      input: { username: 'say "hi"', email: 'a,b' },
    });
    expect(rows[1]).toMatchObject({ kind: 'valid', username: 'x, y', email: 'x@y.z' });
  });

  it('keeps stray quotes inside unquoted values literally', async () => {
    const { rows } = await readAll('username\no"neil\nab"c"d\n');
    expect(rows).toMatchObject([{ username: 'o"neil' }, { username: 'ab"c"d' }]);
  });

  it('skips wholly empty and whitespace-only lines, but a line of separators is a row', async () => {
    const { rows } = await readAll('id,email\n\n   \n,\n,,,\n1,a@b.c\n');
    expect(summary(rows)).toEqual(['4:missing-identifier', '5:missing-identifier', '6:valid']);
  });

  it('rejects the whole file for a quote that is never closed, naming the line it opened on', async () => {
    const text = 'id,email\n1,a@x.com\n\n2,"b@x.com\n3,c@x.com\n4,d@x.com\n';
    const error = await rejectionOf(text);
    expect(error.code).toBe('unparseable');
    expect(error.line).toBe(4);
    expect(error.message).toContain('line 4');
  });

  it('finds the opening line of an unclosed quote after many rows and quoted newlines, in small chunks', async () => {
    const lines = ['id,email'];
    for (let index = 1; index <= 3000; index++)
      lines.push(index % 100 === 0 ? `${index},"x\r\ny"` : `${index},u${index}@x.com`);
    lines.push('9999,"never closed', 'more', 'lines');
    const error = await rejectionOf(`${lines.join('\n')}\n`, 700);
    expect(error.code).toBe('unparseable');
    // 3000 rows, 30 of them two lines long, after the header.
    expect(error.line).toBe(1 + 3000 + 30 + 1);
  });

  it('delivers rows before a late whole-file rejection is thrown from the iterator', async () => {
    const lines = ['email'];
    for (let index = 0; index < 5000; index++) lines.push(`u${index}@x.com`);
    lines.push('"open');
    const reader = await readInput(chunked(`${lines.join('\n')}\n`, 1024));
    let seen = 0;
    await expect(
      (async () => {
        for await (const row of reader.rows) if (row.kind === 'valid') seen++;
      })(),
    ).rejects.toMatchObject({ name: 'InputRejectedError', code: 'unparseable', line: 5002 });
    expect(seen).toBeGreaterThan(0);
  });
});

describe('ragged rows and large cells', () => {
  it('treats missing cells as empty and extra non-empty cells as malformed', async () => {
    const { rows } = await readAll('id,username,email\n1\n2,bob\n3,carl,c@x.com,\n4,dan,d@x.com,surplus\n,,,\n');
    expect(summary(rows)).toEqual(['2:valid', '3:valid', '4:valid', '5:malformed-row', '6:missing-identifier']);
    expect((rows[3] as RejectedRow).message).toContain('4 cells but the header has 3');
  });

  it('rejects only the row with a 1 MB cell, keeping memory and reports small', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const { rows } = await readAll(`username,note\nbob,${big}\n"${big}",\namy,hi\n`, 65536);
    expect(summary(rows)).toEqual(['2:malformed-row', '3:malformed-row', '4:valid']);
    expect(rows[0]!.input).toEqual({ username: 'bob' });
    expect(rows[1]!.input.username!.length).toBeLessThan(200);
    expect((rows[1] as RejectedRow).message).toContain('64 KiB');
  });

  it('accepts a cell just under 64 KiB and rejects one just over (bytes, not characters)', async () => {
    const under = 'é'.repeat(32 * 1024 - 1);
    const over = 'é'.repeat(32 * 1024 + 1);
    const { rows } = await readAll(`username\n${under}\n${over}\n`);
    expect(summary(rows)).toEqual(['2:valid', '3:malformed-row']);
  });

  it('reads very long lines of many cells', async () => {
    const cells = Array.from({ length: 5000 }, (_, index) => `c${index}`);
    const { header, rows } = await readAll(`email,${cells.join(',')}\nbob@x.com,${cells.join(',')}\n`, 333);
    expect(header.ignoredColumns).toHaveLength(5000);
    expect(header.warnings[0]).toContain('and 4990 more');
    expect(rows).toMatchObject([{ kind: 'valid', email: 'bob@x.com' }]);
  });

  it('refuses the whole file when one record exceeds the record limit', async () => {
    const huge = 'y'.repeat(MAX_RECORD_BYTES + 10);
    const error = await rejectionOf(`username\nbob\n"${huge}"\namy\n`, 1 << 20);
    expect(error.code).toBe('too-large-cell');
    expect(error.line).toBe(3);
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('streaming', () => {
  it('stops reading the source when the consumer stops early', async () => {
    let closed = false;
    let chunksRead = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield Buffer.from('email\n');
        for (let index = 0; index < 100000; index++) {
          chunksRead++;
          yield Buffer.from(`u${index}@x.com\n`);
        }
      } finally {
        closed = true;
      }
    }
    const reader = await readInput(source());
    for await (const row of reader.rows) if (row.line > 10) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
    expect(chunksRead).toBeLessThan(100000);
  });

  it('releases the source when rows are abandoned before the first one is read', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield Buffer.from('email\n');
        for (;;) yield Buffer.from('u@x.com\n'.repeat(100));
      } finally {
        closed = true;
      }
    }
    const reader = await readInput(source());
    await reader.rows[Symbol.asyncIterator]().return?.(undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(true);
  });

  it('closes the source when the file is rejected at the start', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield Buffer.from([0x1f, 0x8b, 8, 0]);
        yield Buffer.alloc(10000, 1);
      } finally {
        closed = true;
      }
    }
    await expect(readInput(source())).rejects.toMatchObject({ code: 'not-text' });
    expect(closed).toBe(true);
  });

  it('gives the same rows whatever the chunk size', async () => {
    const text = 'ID;Username;Email\r\n1;"a;b";a@x.com\r\n\r\n2;"multi\r\nline";\r\n3;c;c@x.com\r\n3;C;C@X.COM\r\n';
    const expected = await readAll(text);
    for (const sizes of [[1], [2], [3], [1, 2, 3], [7]]) {
      expect(await readAll(text, ...sizes)).toEqual(expected);
    }
    expect(summary(expected.rows)).toEqual(['2:valid', '4:malformed-row', '6:valid', '7:duplicate']);
  });
});
