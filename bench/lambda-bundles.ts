// Measure 5: each handler bundled as the stack bundles it (lib/bundled-function.ts), its size, and its module
// initialisation time: spawn → import resolved in a fresh `node`, minus the same for an empty module.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const HANDLERS = ['on-upload', 'step', 'finalize'] as const;

export interface BundleResult {
  handler: string;
  bytes: number;
  /** Median of the runs, baseline subtracted. */
  initMs: number;
  rawInitMs: number;
}

export interface BundleMeasure {
  emptyModuleMs: number;
  bundles: BundleResult[];
}

/** Mirrors the stack's bundling options (format esm, target node24, minify, createRequire banner, nothing external). */
const CREATE_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Enough for the handlers' module scope (the SDK clients read the region); the wiring itself is lazy. */
const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench-not-a-key',
  AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
  ONELOGIN_SECRET_ID: 'bench-secret-id',
  NOTIFY_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
};

export async function measureBundles(projectRoot: string, runs: number): Promise<BundleMeasure> {
  const folder = await mkdtemp(path.join(tmpdir(), 'bench-bundles-'));
  try {
    const empty = path.join(folder, 'empty.mjs');
    await writeFile(empty, 'export {};\n');
    const emptyModuleMs = median(await timeImports(empty, runs));
    const bundles: BundleResult[] = [];
    for (const handler of HANDLERS) {
      const outfile = path.join(folder, handler, 'index.mjs');
      await build({
        entryPoints: [path.join(projectRoot, 'lambda/handlers', `${handler}.ts`)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        minify: true,
        sourcemap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: { js: CREATE_REQUIRE_BANNER },
        external: [],
        logLevel: 'silent',
      });
      const bytes = (await stat(outfile)).size;
      const rawInitMs = median(await timeImports(outfile, runs));
      bundles.push({ handler, bytes, rawInitMs, initMs: Math.max(0, rawInitMs - emptyModuleMs) });
    }
    return { emptyModuleMs, bundles };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function timeImports(file: string, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) times.push(await timeImport(file));
  return times;
}

/** Spawn → the child's line printed once `import()` resolved (the handler is not called). */
function timeImport(file: string): Promise<number> {
  const script = `await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write('ready\\n');`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...HANDLER_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ready = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (ready === 0 && chunk.toString().includes('ready')) ready = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || ready === 0)
        reject(
          new Error(`importing ${path.basename(path.dirname(file))} failed (exit ${code}): ${stderr.slice(-1500)}`),
        );
      else resolve(ready - started);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
