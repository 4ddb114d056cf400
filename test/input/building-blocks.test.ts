import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countLineBreaks } from '../../lambda/engine/input/line-breaks.ts';
import { duplicateKey, SeenRows } from '../../lambda/engine/input/seen-rows.ts';
import { incompleteTailLength, scanUtf8 } from '../../lambda/engine/input/utf8-scan.ts';
import { emailProblem, parseUserId } from '../../lambda/engine/input/validate-row.ts';

describe('utf8 scanning', () => {
  it('agrees with a fatal TextDecoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(scanUtf8(bytes).invalidAt === -1).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the first invalid byte and whether valid multibyte text came before it', () => {
    expect(scanUtf8(Buffer.from('abc\xe9d', 'latin1'))).toEqual({ invalidAt: 3, multibyteBefore: false });
    expect(scanUtf8(Buffer.concat([Buffer.from('é'), Buffer.from([0xff])]))).toEqual({
      invalidAt: 2,
      multibyteBefore: true,
    });
  });

  it('measures an incomplete character at the end of a chunk', () => {
    const euro = Buffer.from('€'); // 3 bytes
    expect(incompleteTailLength(euro)).toBe(0);
    expect(incompleteTailLength(euro.subarray(0, 1))).toBe(1);
    expect(incompleteTailLength(euro.subarray(0, 2))).toBe(2);
    expect(incompleteTailLength(Buffer.from('ab'))).toBe(0);
    expect(incompleteTailLength(Buffer.from('😀').subarray(0, 3))).toBe(3);
  });
});

describe('line breaks', () => {
  it.each([
    ['', 0],
    ['a', 0],
    ['a\nb', 1],
    ['a\r\nb', 1],
    ['a\rb', 1],
    ['\n\r', 2],
    ['\r\r\n\n', 3],
  ])('%j has %i', (text, breaks) => {
    expect(countLineBreaks(text)).toBe(breaks);
  });
});

describe('seen rows', () => {
  it('returns the first line for a repeated key and nothing for new keys, across growth', () => {
    const seen = new SeenRows();
    const repeats: number[] = [];
    for (let index = 0; index < 50000; index++) {
      const first = seen.firstLineOrAdd(`key${index}`, index + 2);
      if (first !== undefined) repeats.push(first);
    }
    expect(repeats).toEqual([]);
    expect(seen.size).toBe(50000);
    expect(seen.firstLineOrAdd('key0', 99999)).toBe(2);
    expect(seen.firstLineOrAdd('key49999', 99999)).toBe(50001);
    expect(seen.size).toBe(50000);
  });

  it('keys keep id, username and email apart and ignore case', () => {
    expect(duplicateKey({ username: 'Bob' })).toBe(duplicateKey({ username: 'bOB' }));
    expect(duplicateKey({ username: 'bob' })).not.toBe(duplicateKey({ email: 'bob' }));
    expect(duplicateKey({ id: 1 })).not.toBe(duplicateKey({ username: '1' }));
    expect(duplicateKey({ id: 1, username: 'a' })).not.toBe(duplicateKey({ id: 1 }));
  });
});

describe('value rules', () => {
  it('parses every positive safe integer written in digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.nat({ max: 3 }), (value, zeros) => {
        expect(parseUserId('0'.repeat(zeros) + String(value))).toBe(value);
      }),
    );
  });

  it('accepts ordinary addresses', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (address) => {
        expect(emailProblem(address)).toBeUndefined();
      }),
    );
  });
});
