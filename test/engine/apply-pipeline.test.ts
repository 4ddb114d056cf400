// The live apply phase deletes in batches and saves each batch's outcomes in a small record. What must hold whatever the
// timing: a DELETE goes out only once a saved intent names its user, the intent stays small, chunks are not rewritten per batch,
// a record saved just before a stop is taken on resume, a stale record of an earlier job is not, and a job stopped
// mid-chunk reports the outcomes its records hold.
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { Checkpoint } from '../../lambda/engine/checkpoint.ts';
import { WaitRequiredError } from '../../lambda/engine/directory-errors.ts';
import { abortJob, runJobStep } from '../../lambda/engine/job-runner.ts';
import type { Body } from '../../lambda/engine/ports.ts';
import type { OutcomeRecord } from '../../lambda/engine/stored-row.ts';
import { outcomeRecordKey } from '../../lambda/engine/stored-row.ts';
import type { Harness } from './engine-harness.ts';
import { makeHarness, makeUsers, readReport, runToEnd } from './engine-harness.ts';

const USERS = 60;
const ROWS = 45;
const CHECKPOINT_KEY = 'state/job-1/checkpoint.json';

/** Line n of the file names user 1001 + (n - 2): line 1 is the header. */
function idsCsv(rows = ROWS): string {
  return `id\n${Array.from({ length: rows }, (_, i) => String(1001 + i)).join('\n')}\n`;
}

function userOfLine(line: number): number {
  return 1001 + line - 2;
}

/** A memory store that lets a test look at (or refuse) each write before it lands. */
class WatchedStore extends MemoryObjectStore {
  onPut: ((key: string, text: string) => void) | undefined;
  afterPut: ((key: string, text: string) => void) | undefined;
  override async put(key: string, body: Body, contentType?: string): Promise<void> {
    const text = typeof body === 'string' ? body : undefined;
    if (text !== undefined) this.onPut?.(key, text);
    await super.put(key, body, contentType);
    if (text !== undefined) this.afterPut?.(key, text);
  }
}

class Refused extends Error {}

function liveHarness(store: WatchedStore, rows = ROWS): Harness {
  const h = makeHarness({
    csv: idsCsv(rows),
    users: makeUsers(USERS),
    spec: { mode: 'live' },
    tuning: { chunkRows: 20, deleteBatch: 6, deleteConcurrency: 3 },
  });
  h.store = store;
  h.deps.store = store;
  return h;
}

async function stepUntilDone(h: Harness): Promise<number> {
  let refusals = 0;
  for (let step = 0; step < 200; step += 1) {
    try {
      const result = await runJobStep(h.spec, h.deps);
      if (result.done) return refusals;
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      refusals += 1;
    }
  }
  throw new Error('job did not finish');
}

describe('live apply phase', () => {
  it('sends a DELETE only for a user named by the saved intent, which never holds more than deleteBatch users', async () => {
    const store = new WatchedStore();
    const h = liveHarness(store);
    let savedIntent = new Set<number>();
    let largestIntent = 0;
    store.afterPut = (key, text) => {
      if (key !== CHECKPOINT_KEY) return;
      const intent = (JSON.parse(text) as Checkpoint).intent;
      savedIntent = new Set(intent?.userIds ?? []);
      largestIntent = Math.max(largestIntent, savedIntent.size);
    };
    const unannounced: number[] = [];
    h.directory.beforeCall = (call) => {
      if (call.method === 'deleteUser' && !savedIntent.has(call.argument as number))
        unannounced.push(call.argument as number);
    };
    await runToEnd(h);
    expect(unannounced).toEqual([]);
    expect(largestIntent).toBeGreaterThan(0);
    expect(largestIntent).toBeLessThanOrEqual(6);
    expect(readReport(h).summary).toMatchObject({ rows: ROWS, deleted: ROWS });
    expect(h.directory.deleteRequests).toHaveLength(ROWS);
  });

  it('writes each chunk once while applying, however many DELETEs it holds', async () => {
    const store = new WatchedStore();
    const h = liveHarness(store);
    let applying = false;
    const chunkWrites: string[] = [];
    h.directory.beforeCall = (call) => {
      if (call.method === 'deleteUser') applying = true;
    };
    store.onPut = (key) => {
      if (applying && key.startsWith('state/job-1/chunks/')) chunkWrites.push(key);
    };
    await runToEnd(h);
    expect(chunkWrites).toEqual([
      'state/job-1/chunks/000000.json',
      'state/job-1/chunks/000001.json',
      'state/job-1/chunks/000002.json',
    ]);
    expect(store.keys().filter((key) => key.startsWith('state/job-1/outcomes/')).length).toBeGreaterThan(3);
  });

  it('takes an outcome record saved just before the step died: none of its users gets a second DELETE', async () => {
    for (const recordNumber of [1, 2, 5, 8]) {
      const store = new WatchedStore();
      const h = liveHarness(store);
      let records = 0;
      let armed = false;
      let adopted: OutcomeRecord | undefined;
      store.onPut = (key, text) => {
        if (key.startsWith('state/job-1/outcomes/') && (records += 1) === recordNumber) {
          adopted = JSON.parse(text) as OutcomeRecord;
          armed = true;
        } else if (armed && key === CHECKPOINT_KEY) {
          armed = false;
          throw new Refused('the checkpoint after the record is never saved');
        }
      };
      expect(await stepUntilDone(h), `record ${recordNumber}`).toBe(1);
      expect(adopted?.outcomes.length, `record ${recordNumber}`).toBeGreaterThan(0);
      for (const settlement of adopted?.outcomes ?? []) {
        expect(
          h.directory.deleteRequests.filter((id) => id === userOfLine(settlement.line)),
          `line ${settlement.line}`,
        ).toHaveLength(1);
      }
      expect(readReport(h).summary, `record ${recordNumber}`).toMatchObject({ rows: ROWS, deleted: ROWS });
      expect(new Set(h.directory.deletedIds).size).toBe(ROWS);
    }
  });

  it('never takes a record left under the same state prefix by an earlier job', async () => {
    const store = new WatchedStore();
    const h = liveHarness(store);
    const stale: OutcomeRecord = {
      startedAt: '2020-01-01T00:00:00.000Z',
      chunk: 0,
      seq: 0,
      outcomes: [{ line: 2, outcome: 'failed', reason: 'http-500', message: 'from an older job' }],
    };
    await store.put(outcomeRecordKey('state/job-1/', 0, 0), JSON.stringify(stale));
    // The first record of this job is refused before it lands: the resumed step finds only the stale one at its place.
    let refused = false;
    store.onPut = (key) => {
      if (!refused && key === outcomeRecordKey('state/job-1/', 0, 0)) {
        refused = true;
        throw new Refused('the first record is never saved');
      }
    };
    expect(await stepUntilDone(h)).toBe(1);
    const report = readReport(h);
    expect(report.summary).toMatchObject({ rows: ROWS, deleted: ROWS, failed: 0 });
    expect(new Set(h.directory.deletedIds).size).toBe(ROWS);
  });

  it('a job aborted in the middle of a chunk reports the deletions its records hold', async () => {
    const store = new WatchedStore();
    const h = liveHarness(store);
    const controller = new AbortController();
    h.directory.afterDelete = () => {
      if (h.directory.deletedIds.length === 11) controller.abort();
    };
    const first = await runJobStep(h.spec, h.deps, { signal: controller.signal });
    expect(first.done).toBe(false);
    const deletedBeforeAbort = h.directory.deletedIds.length;
    expect(deletedBeforeAbort).toBeGreaterThanOrEqual(11);
    expect(deletedBeforeAbort).toBeLessThan(20);
    const result = await abortJob(h.spec, h.deps);
    expect(result.status).toBe('aborted');
    const report = readReport(h);
    expect(report.summary.deleted).toBe(deletedBeforeAbort);
    const deletedLines = report.rows.filter((row) => row.outcome === 'deleted').map((row) => userOfLine(row.line));
    expect(new Set(deletedLines)).toEqual(new Set(h.directory.deletedIds));
    expect(report.summary.failed).toBe(ROWS - deletedBeforeAbort);
  });

  it('a DELETE that went through, resent after a stop and refused by a rate-limit wait, stays in the intent and ends deleted', async () => {
    const store = new WatchedStore();
    const h = liveHarness(store);
    let deletes = 0;
    h.directory.afterDelete = () => {
      if ((deletes += 1) === 9) throw new Refused('the answer is lost on the way back');
    };
    await expect(runJobStep(h.spec, h.deps)).rejects.toBeInstanceOf(Refused);
    const intentAfterStop = (JSON.parse(store.text(CHECKPOINT_KEY) ?? '{}') as Checkpoint).intent?.userIds ?? [];
    expect(intentAfterStop).toContain(h.directory.deletedIds[8]);
    // The first DELETE sent again must wait for the rate limit: it is not accepted, the step pauses.
    let waitedUser: number | undefined;
    h.directory.beforeCall = (call) => {
      if (call.method === 'deleteUser' && waitedUser === undefined) {
        waitedUser = call.argument as number;
        throw new WaitRequiredError(5_000);
      }
    };
    const paused = await runJobStep(h.spec, h.deps);
    expect(paused).toMatchObject({ done: false, waitSeconds: 5 });
    expect(intentAfterStop).toContain(waitedUser);
    // Its first DELETE went through before the stop: only the intent remembers that a 404 will be our own.
    expect(h.directory.deletedIds).toContain(waitedUser);
    expect((JSON.parse(store.text(CHECKPOINT_KEY) ?? '{}') as Checkpoint).intent?.userIds).toContain(waitedUser);
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary).toMatchObject({ rows: ROWS, deleted: ROWS, 'already-absent': 0 });
    expect(report.rows.find((row) => userOfLine(row.line) === waitedUser)?.message).toBe(
      'confirmed deleted after an interrupted step',
    );
    expect(h.directory.deletedIds).toHaveLength(ROWS);
  });

  it('saves every batch before the next is sent: a step killed at any DELETE sends at most deleteBatch again', async () => {
    for (const killAt of [1, 4, 7, 13, 30, 45]) {
      const store = new WatchedStore();
      const h = liveHarness(store);
      let deletes = 0;
      h.directory.afterDelete = () => {
        if ((deletes += 1) === killAt) throw new Refused('the step dies with this answer on the way back');
      };
      const recordSizes: number[] = [];
      store.onPut = (key, text) => {
        if (key.startsWith('state/job-1/outcomes/'))
          recordSizes.push((JSON.parse(text) as OutcomeRecord).outcomes.length);
      };
      expect(await stepUntilDone(h), `kill at ${killAt}`).toBe(1);
      expect(readReport(h).summary, `kill at ${killAt}`).toMatchObject({ rows: ROWS, deleted: ROWS });
      expect(new Set(h.directory.deletedIds).size).toBe(ROWS);
      expect(h.directory.deleteRequests.length - ROWS, `kill at ${killAt}`).toBeGreaterThan(0);
      expect(h.directory.deleteRequests.length - ROWS, `kill at ${killAt}`).toBeLessThanOrEqual(6);
      // Each row's outcome is recorded exactly once, in records no larger than a batch.
      expect(
        recordSizes.reduce((a, b) => a + b, 0),
        `kill at ${killAt}`,
      ).toBe(ROWS);
      expect(Math.max(...recordSizes)).toBeLessThanOrEqual(6);
    }
  });
});
