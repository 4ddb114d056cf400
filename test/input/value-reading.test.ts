// Rows are read the one way every value is read (docs/outcomes.md, "Reading values"): edges trimmed of all Unicode white
// space, text compared in NFC with simple lower-casing, look-alikes and invisible characters kept apart.
import { describe, expect, it } from 'vitest';
import { duplicateKey } from '../../lambda/engine/input/seen-rows.ts';
import { readAll } from './read-helpers.ts';

async function rowsOf(csv: string) {
  return (await readAll(csv)).rows;
}

describe('row values: trimming', () => {
  it.each([
    ['NBSP', '\u00a0'],
    ['next line (NEL)', '\u0085'],
    ['Mongolian vowel separator', '\u180e'],
    ['ideographic space', '\u3000'],
    ['narrow NBSP', '\u202f'],
  ])('%s at both edges of a cell is trimmed', async (_name, space) => {
    const [row] = await rowsOf(
      `id,username,email\n${space}0012${space},${space}alice${space},${space}a@example.com${space}\n`,
    );
    expect(row).toMatchObject({ kind: 'valid', id: 12, username: 'alice', email: 'a@example.com' });
  });

  it('an invisible character inside a value is kept (it makes the value differ)', async () => {
    const [row] = await rowsOf('username\nali\u200bce\n');
    expect(row).toMatchObject({ kind: 'valid', username: 'ali\u200bce' });
  });
});

describe('row values: duplicates are the same text as textKey reads it', () => {
  it.each([
    ['case', ',Alice,', ',ALICE,', true],
    ['NFC and NFD forms of é', ',jos\u00e9,', ',jose\u0301,', true],
    ['NBSP at the edge', ',alice,', ',\u00a0alice,', true],
    ['ß and ss', ',straße,', ',strasse,', false],
    ['Kelvin sign and K', ',\u212aelvin,', ',kelvin,', false],
    ['fullwidth digits in a username', ',\uff11\uff12,', ',12,', false],
    ['an invisible character', ',alice,', ',ali\u200bce,', false],
  ])('%s → duplicate %s', async (_name, first, second, duplicate) => {
    const rows = await rowsOf(`id,username,email\n${first}\n${second}\n`);
    expect(rows[0]?.kind).toBe('valid');
    expect(rows[1]?.kind).toBe(duplicate ? 'rejected' : 'valid');
    if (duplicate) expect(rows[1]).toMatchObject({ reason: 'duplicate' });
  });

  it('duplicateKey itself folds case and NFC but not the Kelvin sign', () => {
    expect(duplicateKey({ username: 'JOSE\u0301' })).toBe(duplicateKey({ username: 'jos\u00e9' }));
    expect(duplicateKey({ username: '\u212a' })).not.toBe(duplicateKey({ username: 'k' }));
  });
});
