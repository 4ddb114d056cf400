// Tuning comes with each job's dependencies: two jobs running at once in one process each keep their own sizes.
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../lambda/engine/checkpoint.ts';
import { DEFAULT_TUNING } from '../../lambda/engine/engine-tuning.ts';
import { makeHarness, makeUsers, readReport, runToEnd } from './engine-harness.ts';

function chunkKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => key.startsWith('state/job-1/chunks/'));
}

describe('engine tuning', () => {
  it('two jobs at once: each spools its rows in chunks of its own size', async () => {
    const users = makeUsers(40);
    const csv = `id\n${users.map((user) => user.id).join('\n')}\n`;
    const small = makeHarness({ csv, users, tuning: { chunkRows: 7 } });
    const defaults = makeHarness({ csv, users });
    await Promise.all([runToEnd(small), runToEnd(defaults)]);
    expect(chunkKeys(small.store.keys())).toHaveLength(Math.ceil(40 / 7));
    expect(chunkKeys(defaults.store.keys())).toHaveLength(Math.ceil(40 / DEFAULT_TUNING.chunkRows));
    expect(readReport(small).summary).toMatchObject({ rows: 40, 'would-delete': 40 });
    expect(readReport(defaults).summary).toMatchObject({ rows: 40, 'would-delete': 40 });
  });

  it('a live job deletes in batches of its deleteBatch: the saved intent never names more users', async () => {
    const users = makeUsers(30);
    const csv = `id\n${users.map((user) => user.id).join('\n')}\n`;
    const h = makeHarness({ csv, users, spec: { mode: 'live' }, tuning: { deleteBatch: 4, deleteConcurrency: 2 } });
    const put = h.store.put.bind(h.store);
    let largestIntent = 0;
    h.store.put = async (key, body, contentType) => {
      if (key === 'state/job-1/checkpoint.json' && typeof body === 'string') {
        const intent = (JSON.parse(body) as Checkpoint).intent;
        largestIntent = Math.max(largestIntent, intent?.userIds.length ?? 0);
      }
      await put(key, body, contentType);
    };
    await runToEnd(h);
    expect(largestIntent).toBe(4);
    expect(readReport(h).summary).toMatchObject({ rows: 30, deleted: 30 });
  });
});
