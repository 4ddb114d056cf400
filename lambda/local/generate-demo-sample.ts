// Rewrites samples/demo-users.csv from the demo tenant: `npx tsx lambda/local/generate-demo-sample.ts`.
import { writeFile } from 'node:fs/promises';
import { buildDemoSample, DEMO_SAMPLE_PATH } from './demo-sample.ts';

const sample = buildDemoSample();
await writeFile(DEMO_SAMPLE_PATH, sample.csv, 'utf8');
const counts = new Map<string, number>();
for (const row of sample.expected) {
  const label = row.reason === undefined ? row.dryRun : `${row.dryRun} (${row.reason})`;
  counts.set(label, (counts.get(label) ?? 0) + 1);
}
process.stdout.write(`wrote ${DEMO_SAMPLE_PATH}: ${sample.expected.length} rows\n`);
for (const [label, count] of counts) process.stdout.write(`  ${label}: ${count}\n`);
