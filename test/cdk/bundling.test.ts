// The one test that really bundles: runs the CDK app entry (cdk-nag on, esbuild on) and loads each produced
// index.mjs in a fresh Node process, as Lambda would, to check that it starts and exports `handler`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, render } from './synth-helpers.ts';

const run = promisify(execFile);

interface LambdaResource {
  Type: string;
  Properties: {
    Description?: string;
    Code: { S3Key: Json };
    Handler: string;
    Environment?: { Variables: Record<string, Json> };
  };
}

let outdir: string;
let functions: Array<{ entry: string; bundle: string; environment: Record<string, string> }> = [];
const savedEnv = { CDK_OUTDIR: process.env.CDK_OUTDIR, CDK_VALIDATION: process.env.CDK_VALIDATION };

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'obd-bundle-'));
  process.env.CDK_OUTDIR = outdir;
  // CDK's own template validation (a slow WASM engine) is left to `cdk synth`; the cdk-nag plugin still runs here.
  process.env.CDK_VALIDATION = 'false';
  try {
    await import('../../bin/app.ts');
  } finally {
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const template = JSON.parse(readFileSync(join(outdir, 'OneLoginBulkDelete.template.json'), 'utf8')) as {
    Resources: Record<string, LambdaResource>;
  };
  const ours = Object.entries(template.Resources).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description?.startsWith('OneLogin bulk delete'),
  );
  functions = ours.map(([logicalId, r]) => {
    const hash = render(r.Properties.Code.S3Key).replace(/\.zip$/, '');
    expect(r.Properties.Handler).toBe('index.handler');
    return {
      entry: logicalId,
      bundle: join(outdir, `asset.${hash}`, 'index.mjs'),
      // Settings keep their values (initialisation reads and checks them); intrinsics become placeholder strings:
      // module initialisation creates no AWS client, so nothing calls AWS with them.
      environment: Object.fromEntries(
        Object.entries(r.Properties.Environment?.Variables ?? {}).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : `placeholder-${render(value)}`,
        ]),
      ),
    };
  });
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('bundled handlers', () => {
  it('the app synthesizes with cdk-nag on and bundles one ESM file for each of the three functions', () => {
    expect(functions.map((f) => f.entry.replace(/^BulkDelete|Function[0-9A-F]{8}$/g, '')).sort()).toEqual([
      'Finalize',
      'OnUpload',
      'Step',
    ]);
    for (const fn of functions) expect(existsSync(fn.bundle)).toBe(true);
  });

  it('each bundle carries the pinned AWS SDK inside: its static imports are Node built-ins only', () => {
    for (const fn of functions) {
      const code = readFileSync(fn.bundle, 'utf8');
      expect(code).toMatch(/name:"@aws-sdk\/client-s3",version:"3\.\d+\.\d+"/);
      // Minified static imports read `from"x"`; the createRequire banner reads `from 'module'`.
      const specifiers = [...code.matchAll(/\bfrom ?(["'])([\w@./:-]+)\1/g)].map((match) => match[2] ?? '');
      expect(specifiers.length).toBeGreaterThan(0);
      expect(specifiers).toContain('module');
      expect(specifiers.filter((specifier) => !isBuiltin(specifier))).toEqual([]);
    }
  });

  it('each bundle loads in a fresh Node process and exports a handler function', async () => {
    const probe = [
      'const m = await import(process.argv[1]);',
      'process.stdout.write(JSON.stringify({ handler: typeof m.handler }));',
    ].join('\n');
    const results = await Promise.all(
      functions.map(async (fn) => {
        const { stdout } = await run(
          process.execPath,
          ['--input-type=module', '-e', probe, pathToFileURL(fn.bundle).href],
          {
            env: {
              PATH: process.env.PATH ?? '',
              AWS_REGION: 'eu-west-1',
              AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
              POWERTOOLS_DEV: 'true',
              ...fn.environment,
            },
            timeout: 30_000,
          },
        );
        return [fn.entry.replace(/^BulkDelete|Function[0-9A-F]{8}$/g, ''), JSON.parse(stdout) as unknown] as const;
      }),
    );
    expect(Object.fromEntries(results)).toEqual({
      OnUpload: { handler: 'function' },
      Step: { handler: 'function' },
      Finalize: { handler: 'function' },
    });
  });
});
