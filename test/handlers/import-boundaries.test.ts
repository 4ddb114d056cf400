// The AWS wiring, read from the source: only aws-clients.ts creates SDK clients, and neither the handler factories nor
// the tools reach it. The layering as a whole is test/architecture/layering.test.ts.
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

describe('import boundaries', () => {
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
