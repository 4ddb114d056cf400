// Child process of measure 4: writes a large CSV to a temp folder (streaming), validates and plans it with the engine
// against a synthetic account, and prints one JSON line with the time taken and the peak RSS.
// Usage: tsx bench/large-file-child.ts <rows> <ids|mixed|idle>   ('idle' loads the same modules and plans nothing)

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalFileInput } from '../lambda/adapters/local-file-input.ts';
import { LocalFileStore } from '../lambda/adapters/local-file-store.ts';
import { runEngine } from './bench-env.ts';
import { SyntheticUserDirectory, syntheticUser } from './synthetic-directory.ts';

const rows = Number(process.argv[2]);
const kind = process.argv[3] ?? 'ids';

async function writeFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('id,username,email\n');
  for (let index = 0; index < rows; index += 1) {
    // Every other account user, so that the account is twice the file.
    const user = syntheticUser(index * 2);
    const shape = kind === 'mixed' ? index % 3 : 0;
    const line = shape === 0 ? `${user.id},,\n` : shape === 1 ? `,,${user.email}\n` : `,${user.username},\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const folder = await mkdtemp(path.join(tmpdir(), 'bench-large-'));
try {
  const file = path.join(folder, 'input.csv');
  const generateStarted = performance.now();
  if (kind !== 'idle') await writeFile(file);
  const generateMs = performance.now() - generateStarted;
  const rssBefore = process.resourceUsage().maxRSS;
  const cpuBefore = process.cpuUsage();
  let planMs = 0;
  let planned = 0;
  let apiCalls = 0;
  if (kind !== 'idle') {
    const directory = new SyntheticUserDirectory(rows * 2);
    const run = await runEngine({
      mode: 'live',
      stopAfterPlan: true,
      input: new LocalFileInput(file),
      directory,
      store: new LocalFileStore(path.join(folder, 'store')),
    });
    planMs = run.elapsedMs;
    planned = run.result.plan?.toDelete ?? 0;
    const counts = directory.callCounts();
    apiCalls = counts.list + counts.get + counts.delete + counts.token;
    if (planned !== rows)
      throw new Error(`large file: ${planned} of ${rows} rows planned (${JSON.stringify(run.result.progress.counts)})`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    `${JSON.stringify({
      rows,
      kind,
      generateMs,
      planMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      planned,
      apiCalls,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rssBeforePlanMb: rssBefore / 1024,
    })}\n`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
