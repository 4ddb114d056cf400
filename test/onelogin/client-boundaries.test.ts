// The client stands on its own: it imports nothing of the engine, only the settings module and undici's public entry
// point.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../lambda/onelogin');

test('no module of the OneLogin client imports the engine or undici internals', async () => {
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
    const parent = specifier.startsWith('../') && !specifier.startsWith('../settings/');
    return specifier.includes('/engine/') || specifier.startsWith('undici/') || parent;
  });
  expect(outside).toEqual([]);
});
