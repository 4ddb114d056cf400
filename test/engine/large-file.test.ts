// A large file is spooled into chunks and never held whole: memory stays bounded by a chunk plus small per-job sets.
import { describe, expect, it } from 'vitest';
import type { InputSource } from '../../lambda/engine/ports.ts';
import { makeHarness, makeUsers, readReport, runToEnd } from './engine-harness.ts';

const ROWS = 200_000;

function generatedInput(): InputSource {
  return {
    name: 'large.csv',
    open: async () =>
      (async function* () {
        yield Buffer.from('id,email\n');
        let lines: string[] = [];
        for (let i = 0; i < ROWS; i += 1) {
          lines.push(i % 2 === 0 ? `${1001 + i},` : `,user${1001 + i}@example.com`);
          if (lines.length === 5_000) {
            yield Buffer.from(`${lines.join('\n')}\n`);
            lines = [];
          }
        }
        if (lines.length > 0) yield Buffer.from(`${lines.join('\n')}\n`);
      })(),
  };
}

describe('large file', () => {
  it(`${ROWS} rows: chunks are written, every row is reported, heap stays bounded`, async () => {
    const h = makeHarness({ csv: '', users: makeUsers(20_000), directory: { pageSize: 1000, idBatchSize: 100 } });
    h.deps.input = generatedInput();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = 0;
    let progressCalls = 0;
    h.deps.onProgress = () => {
      progressCalls += 1;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    };
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    const chunks = h.store.keys().filter((key) => key.startsWith('state/job-1/chunks/'));
    expect(chunks).toHaveLength(ROWS / 1000);
    expect(progressCalls).toBeGreaterThan(ROWS / 1000);
    const report = readReport(h);
    expect(report.summary).toMatchObject({ rows: ROWS, 'would-delete': 20_000, 'not-found': ROWS - 20_000 });
    // One listing pass over the 20,000-user account (20 pages) beats 100,000 email searches.
    expect(h.directory.callsByMethod).toMatchObject({ listAllUsers: 20, findUsers: 0, getUsersByIds: 0 });
    const growth = (peakHeap - heapBefore) / 1e6;
    console.log(`peak heap growth ${growth.toFixed(0)} MB`);
    expect(growth).toBeLessThan(150);
  });
});
