// Measure 4: peak RSS and time to validate and plan a large file, each in a fresh child process, beside an idle child
// that loads the same modules (the memory any run starts with).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LargeFileResult {
  rows: number;
  kind: string;
  planMs: number;
  cpuMs: number;
  msPer100kRows: number;
  peakRssMb: number;
  apiCalls: number;
}

export interface LargeFileMeasure {
  idlePeakRssMb: number;
  runs: LargeFileResult[];
}

const CHILD = fileURLToPath(new URL('./large-file-child.ts', import.meta.url));

export async function measureLargeFiles(rows: number, kinds: readonly string[]): Promise<LargeFileMeasure> {
  const idle = await runChild(0, 'idle');
  const runs: LargeFileResult[] = [];
  for (const kind of kinds) {
    const child = await runChild(rows, kind);
    runs.push({
      rows,
      kind,
      planMs: child.planMs,
      cpuMs: child.cpuMs,
      msPer100kRows: (child.planMs / rows) * 100_000,
      peakRssMb: child.peakRssMb,
      apiCalls: child.apiCalls,
    });
  }
  return { idlePeakRssMb: idle.peakRssMb, runs };
}

interface ChildOutput {
  planMs: number;
  cpuMs: number;
  peakRssMb: number;
  apiCalls: number;
}

function runChild(rows: number, kind: string): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(rows), kind], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        return reject(new Error(`large-file child (${kind}, ${rows} rows) exited ${code}: ${stderr.slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildOutput);
      } catch {
        reject(new Error(`large-file child printed no result: ${stdout.slice(-500)} ${stderr.slice(-500)}`));
      }
    });
  });
}
