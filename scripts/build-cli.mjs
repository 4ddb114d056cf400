// `npm run build`: bundles bin/cli.ts into one ESM file, dist/cli.mjs, run by plain Node (no tsx).
// Packages stay external: the installed CLI loads them from its own dependencies.
// `--outfile F` builds elsewhere and `--metafile M` writes esbuild's metafile (test/package checks the imports).
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outfile: { type: 'string' }, metafile: { type: 'string' } } });
const outfile = path.resolve(values.outfile ?? path.join(root, 'dist', 'cli.mjs'));

/**
 * Source files find files beside them through import.meta.url (main.ts reads ../../package.json for --version).
 * In one bundle every module shares the bundle's URL, so each module's own URL is rebuilt relative to it.
 */
const sourceLocationUrls = {
  name: 'source-location-urls',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const relative = path.relative(path.dirname(outfile), args.path).split(path.sep).join('/');
      const ownUrl = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', `(${ownUrl})`), loader: 'ts' };
    });
  },
};

const result = await build({
  entryPoints: [path.join(root, 'bin', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [sourceLocationUrls],
  logLevel: 'warning',
  legalComments: 'none',
  metafile: values.metafile !== undefined,
});
// Executable, so that `npm link` and a direct `./dist/cli.mjs` run it through its shebang.
await chmod(outfile, 0o755);
if (values.metafile !== undefined) await writeFile(values.metafile, JSON.stringify(result.metafile));
console.log(`built ${path.relative(root, outfile)}`);
