// The published package: the built CLI needs exactly the runtime dependencies, runs with plain Node, and is what `bin` names.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface PackageJson {
  version: string;
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
}

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }>;
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

describe('the package', () => {
  let dir: string;
  let packageJson: PackageJson;
  let bundled: string;
  let importedPackages: string[];

  beforeAll(async () => {
    packageJson = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
    await mkdir(path.join(ROOT, '.tmp'), { recursive: true });
    dir = await mkdtemp(path.join(ROOT, '.tmp', 'package-test-'));
    // Three levels below the root, so that a bundle reading ../../package.json as the source does would miss it.
    const outfile = path.join(dir, 'dist', 'cli.mjs');
    const metafile = path.join(dir, 'meta.json');
    await run(process.execPath, ['scripts/build-cli.mjs', '--outfile', outfile, '--metafile', metafile], { cwd: ROOT });
    bundled = await readFile(outfile, 'utf8');
    const meta = JSON.parse(await readFile(metafile, 'utf8')) as Metafile;
    const externals = Object.values(meta.outputs).flatMap((output) =>
      output.imports.filter((entry) => entry.external).map((entry) => entry.path),
    );
    importedPackages = [...new Set(externals.filter((name) => !name.startsWith('node:')).map(packageNameOf))].sort();
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists as dependencies exactly the packages the built CLI imports', () => {
    expect(importedPackages.length).toBeGreaterThan(0);
    expect(Object.keys(packageJson.dependencies).sort()).toEqual(importedPackages);
  });

  it('keeps tsx, s3rver and the AWS SDK out of the runtime dependencies', () => {
    for (const name of ['tsx', 's3rver', '@aws-sdk/client-s3', 'aws-cdk-lib', 'esbuild'])
      expect(Object.keys(packageJson.dependencies)).not.toContain(name);
    expect(bundled).not.toMatch(/from ["']tsx/);
  });

  it('names the built file as its bin, ships it, and builds it before packing', () => {
    expect(packageJson.bin).toEqual({ 'onelogin-bulk-delete': 'dist/cli.mjs' });
    expect(packageJson.files).toContain('dist/cli.mjs');
    expect(packageJson.scripts.prepack).toBe('npm run build');
    expect(bundled.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('runs under plain Node from another folder and finds its own package.json', async () => {
    const { stdout } = await run(process.execPath, [path.join(dir, 'dist', 'cli.mjs'), '--version'], { cwd: dir });
    expect(stdout.trim()).toBe(packageJson.version);
    const help = await run(process.execPath, [path.join(dir, 'dist', 'cli.mjs'), '--help'], { cwd: dir });
    expect(help.stdout).toMatch(/^Usage: onelogin-bulk-delete/);
  });
});
