// The layering of the code (docs/architecture.md): the engine imports nothing outside itself, adapters never import
// handlers, nothing imports upward, and no file imports itself through others.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Which top-level folders of lambda/ (and lib/, bin/) each folder may import from. */
const ALLOWED: Record<string, readonly string[]> = {
  'lambda/engine': [],
  // The protect setting is checked with the engine's own reading of values (pure code, no I/O).
  'lambda/settings': ['lambda/engine'],
  'lambda/shared': ['lambda/engine'],
  'lambda/emulator': [],
  'lambda/onelogin': ['lambda/settings'],
  'lambda/adapters': ['lambda/engine', 'lambda/onelogin', 'lambda/settings', 'lambda/shared'],
  'lambda/handlers': ['lambda/adapters', 'lambda/engine', 'lambda/onelogin', 'lambda/settings', 'lambda/shared'],
  'lambda/cli': ['lambda/adapters', 'lambda/engine', 'lambda/onelogin', 'lambda/settings'],
  'lambda/local': [
    'lambda/adapters',
    'lambda/cli',
    'lambda/emulator',
    'lambda/engine',
    'lambda/handlers',
    'lambda/onelogin',
    'lambda/settings',
    'lambda/shared',
    // The local Step Functions runs the ASL synthesized from lib/, with the function ARNs it names.
    'lib',
  ],
  // The construct deploys the handlers: it reads their environment contract (handler-contract.ts).
  lib: ['lambda/handlers', 'lambda/settings'],
  bin: ['lib', 'lambda/cli', 'lambda/settings'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((match) =>
    path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), match[1] ?? match[2] ?? '')),
  );
}

function layerOf(file: string): string | undefined {
  return Object.keys(ALLOWED)
    .filter((layer) => file === layer || file.startsWith(`${layer}/`))
    .sort((a, b) => b.length - a.length)[0];
}

const files = Object.keys(ALLOWED)
  .filter((dir) => existsSync(path.join(ROOT, dir)))
  .flatMap(sourceFiles);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the layering of the code', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get('lambda/engine/job-runner.ts')?.length).toBeGreaterThan(3);
  });

  it('no folder imports one it may not', () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file);
      if (from === undefined) continue;
      for (const target of imports) {
        const to = layerOf(target);
        if (to === undefined || to === from) continue;
        if (!ALLOWED[from]?.includes(to)) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no import cycle between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
