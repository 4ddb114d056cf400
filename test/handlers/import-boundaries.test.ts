// The layering, read from the source: imports run downward only, and only aws-clients.ts creates AWS SDK clients.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LAMBDA = join(ROOT, 'lambda');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Repository-relative paths of the project files `file` imports (static, re-export and dynamic imports). */
function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1] ?? '');
  return specifiers.map((specifier) => relative(ROOT, resolve(dirname(file), specifier)));
}

function reachable(start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [start];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...localImports(join(ROOT, file)).filter((path) => path.endsWith('.ts')));
  }
  return seen;
}

function violations(folder: string, allowed: (path: string) => boolean): string[] {
  return sourceFiles(join(LAMBDA, folder)).flatMap((file) =>
    localImports(file)
      .filter((path) => !allowed(path))
      .map((path) => `${relative(ROOT, file)} → ${path}`),
  );
}

describe('import boundaries', () => {
  it('adapters import neither handlers nor the local or CLI tools', () => {
    expect(violations('adapters', (path) => !/^lambda\/(handlers|local|cli)\//.test(path))).toEqual([]);
  });

  it('handlers import neither the local nor the CLI tools', () => {
    expect(violations('handlers', (path) => !/^lambda\/(local|cli)\//.test(path))).toEqual([]);
  });

  it('the engine imports nothing outside itself', () => {
    expect(violations('engine', (path) => path.startsWith('lambda/engine/'))).toEqual([]);
  });

  it('shared types import only the engine and each other', () => {
    expect(violations('shared', (path) => /^lambda\/(engine|shared)\//.test(path))).toEqual([]);
  });

  it.each([
    'lambda/handlers/step-handler.ts',
    'lambda/handlers/finalize-handler.ts',
    'lambda/handlers/on-upload-handler.ts',
    'lambda/local/local-pipeline.ts',
  ])('%s does not reach the AWS wiring', (start) => {
    const files = reachable(start);
    expect(files.size).toBeGreaterThan(3);
    expect([...files].filter((file) => /lambda\/handlers\/aws-(clients|deps)\.ts$/.test(file))).toEqual([]);
  });

  it('the shipped CLI reaches neither s3rver nor the local tools (so s3rver is a dev dependency)', () => {
    const files = [...reachable('lambda/cli/main.ts')];
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((file) => file.startsWith('lambda/local/'))).toEqual([]);
    expect(files.filter((file) => readFileSync(join(ROOT, file), 'utf8').includes("from 's3rver'"))).toEqual([]);
  });

  it('only aws-clients.ts constructs SDK clients for the handlers and adapters', () => {
    const constructing = [...sourceFiles(join(LAMBDA, 'handlers')), ...sourceFiles(join(LAMBDA, 'adapters'))]
      .filter((file) => /new (S3|SNS|SFN|SecretsManager)Client\(|createS3Client\(\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(constructing.sort()).toEqual(['lambda/adapters/aws-s3-client.ts', 'lambda/handlers/aws-clients.ts']);
  });
});
