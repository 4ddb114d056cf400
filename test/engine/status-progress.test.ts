// status.json is a live view of a long run: rewritten while a step waits, at each phase change, and it says why it waits.
import { describe, expect, it } from 'vitest';
import { WaitRequiredError } from '../../lambda/engine/directory-errors.ts';
import { runJobStep } from '../../lambda/engine/job-runner.ts';
import type { RunStatus } from '../../lambda/engine/status-document.ts';
import { makeHarness, makeUsers, runToEnd } from './engine-harness.ts';

const STATUS_KEY = 'reports/job-1/status.json';
const users = makeUsers(20);
const csv = `id\n${users.map((user) => user.id).join('\n')}\n`;

function statusWrites(h: ReturnType<typeof makeHarness>): RunStatus[] {
  const writes: RunStatus[] = [];
  const put = h.store.put.bind(h.store);
  h.store.put = async (key, body, contentType) => {
    if (key === STATUS_KEY && typeof body === 'string') writes.push(JSON.parse(body) as RunStatus);
    await put(key, body, contentType);
  };
  return writes;
}

describe('status.json while a step runs', () => {
  it('is rewritten every statusIntervalMs while a deletion waits, never ahead of the saved state', async () => {
    const h = makeHarness({ csv, users, spec: { mode: 'live' }, tuning: { statusIntervalMs: 20, deleteBatch: 5 } });
    const writes = statusWrites(h);
    const deleteUser = h.directory.deleteUser.bind(h.directory);
    let slowed = false;
    h.directory.deleteUser = async (id) => {
      if (!slowed) {
        slowed = true;
        // A quiet wait inside the client (a long rate-limit pause): no progress, but status.json stays fresh.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      return deleteUser(id);
    };
    await runToEnd(h);
    const during = writes.filter((status) => status.phase === 'apply');
    expect(during.length).toBeGreaterThanOrEqual(4);
    expect(during.every((status) => status.counts.deleted <= status.phases!.apply.planned)).toBe(true);
    expect(during[0]?.phases).toEqual({ resolve: { rowsDone: 20, rowsTotal: 20 }, apply: { deleted: 0, planned: 20 } });
    expect(writes.at(-1)).toMatchObject({
      phase: 'done',
      status: 'completed',
      phases: { apply: { deleted: 20, planned: 20 } },
      apiCallsByKind: { delete: 20 },
    });
    expect(writes.at(-1)?.nextWait).toBeUndefined();
  });

  it('is written at every phase change, and says how long and why the job pauses', async () => {
    const h = makeHarness({ csv, users, spec: { mode: 'live' } });
    const writes = statusWrites(h);
    const deleteUser = h.directory.deleteUser.bind(h.directory);
    let throttled = false;
    h.directory.deleteUser = async (id) => {
      if (!throttled) {
        throttled = true;
        throw new WaitRequiredError(42_000);
      }
      return deleteUser(id);
    };
    const paused = await runJobStep(h.spec, h.deps);
    expect(paused.waitSeconds).toBe(42);
    const last = writes.at(-1);
    expect(last).toMatchObject({ phase: 'apply', nextWait: { seconds: 42, reason: 'rate-limit-window' } });
    expect(Date.parse(last!.nextWait!.until) - Date.parse(last!.updatedAt)).toBe(42_000);
    expect(writes.map((status) => status.phase)).toEqual(expect.arrayContaining(['resolve', 'apply']));
    h.clock.time += 42_000;
    await runToEnd(h);
    expect(writes.at(-1)).toMatchObject({ phase: 'done', phases: { apply: { deleted: 20 } } });
    expect(writes.at(-1)?.nextWait).toBeUndefined();
  });
});
