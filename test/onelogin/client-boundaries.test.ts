// The client uses only undici's public entry point (its layering is test/architecture/layering.test.ts).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../lambda/onelogin');

test('no module of the OneLogin client imports undici internals', async () => {
  const files = (await readdir(CLIENT_DIR)).filter((name) => name.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(5);
  const specifiers: string[] = [];
  for (const file of files) {
    const text = await readFile(path.join(CLIENT_DIR, file), 'utf8');
    for (const match of text.matchAll(/\bfrom\s+'([^']+)'/g)) specifiers.push(`${file}: ${match[1]}`);
  }
  expect(specifiers.some((entry) => entry.endsWith(': undici'))).toBe(true);
  const outside = specifiers.filter((entry) => {
    const specifier = entry.split(': ')[1] ?? '';
    return specifier.startsWith('undici/');
  });
  expect(outside).toEqual([]);
});
