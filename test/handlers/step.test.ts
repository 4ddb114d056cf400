import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { StepOutput } from '../../lambda/handlers/handler-contract.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import type { StepHarness } from './step-harness.ts';
import { CLIENT_ID, CLIENT_SECRET, contextWith, startStepHarness, TOPIC, totalCalls } from './step-harness.ts';

type ReportJson = ReportDocument;

function csvOfIds(ids: number[]): string {
  return `id\n${ids.join('\n')}\n`;
}

/** Everything the outside world sees of a run besides the report: notifications, SNS messages, log lines. */
function visibleText(h: StepHarness): string {
  return JSON.stringify([h.notifications, h.published(), h.lines]);
}

describe('step handler against a mocked S3 and the OneLogin emulator', () => {
  let h: StepHarness;
  afterEach(async () => h.close());

  describe('with no rate limit', () => {
    beforeEach(async () => {
      h = await startStepHarness();
    });

    it('dry run: one step finishes, writes the report, changes nothing and notifies', async () => {
      const ids = h.emulator
        .users()
        .slice(0, 3)
        .map((user) => user.id);
      const job = h.job('dry-run/team/leavers.csv', csvOfIds([...ids, 99_999_999_999]));
      const step = createStepHandler(h.deps);

      const output = await step(job, contextWith(900_000));

      expect(output).toEqual({ ...job, done: true, waitSeconds: 0, status: 'completed' });
      const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
      expect(report.job).toMatchObject({
        id: job.jobId,
        mode: 'dry-run',
        source: `s3://jobs-bucket/${job.key}`,
        status: 'completed',
      });
      expect(report.rows.map((row) => row.outcome)).toEqual([
        'would-delete',
        'would-delete',
        'would-delete',
        'not-found',
      ]);
      expect(h.emulator.stats().calls.delete).toBe(0);
      expect(h.emulator.users()).toHaveLength(60);

      expect(h.notifications).toHaveLength(1);
      const summary = h.notifications[0]!;
      expect(summary).toMatchObject({
        jobId: job.jobId,
        mode: 'dry-run',
        status: 'completed',
        rows: 4,
        counts: { 'would-delete': 3, 'not-found': 1 },
        reports: {
          folder: `s3://jobs-bucket/${job.reportPrefix}`,
          json: `s3://jobs-bucket/${job.reportPrefix}report.json`,
          csv: `s3://jobs-bucket/${job.reportPrefix}report.csv`,
        },
      });
      expect(summary.apiCalls).toBeGreaterThan(0);
      // The host the secret named: a summary says which OneLogin account it is about.
      expect(summary.account).toEqual({ host: new URL(h.emulator.url).host });
      expect(Object.keys(summary).sort()).toEqual([
        'account',
        'apiCalls',
        'counts',
        'jobId',
        'mode',
        'reports',
        'rows',
        'source',
        'status',
      ]);
      const published = h.published();
      expect(published).toHaveLength(1);
      expect(JSON.parse(published[0]!.Message!)).toEqual(summary);
      expect(published[0]!.Subject).toBe('onelogin-bulk-delete dry-run completed: leavers.csv');
      expect(h.metrics.at(-1)).toMatchObject({
        mode: 'dry-run',
        counts: { RowsWouldDelete: 3, RowsNotFound: 1, JobsCompleted: 1 },
      });
    });

    it('live: deletes the listed users and reports them deleted', async () => {
      const ids = h.emulator
        .users()
        .slice(10, 14)
        .map((user) => user.id);
      const job = h.job('live/leavers.csv', csvOfIds(ids));
      const output = await createStepHandler(h.deps)(job, contextWith(900_000));

      expect(output).toMatchObject({ done: true, status: 'completed', waitSeconds: 0 });
      expect(
        h.emulator
          .stats()
          .deletions.map((deletion) => deletion.id)
          .sort(),
      ).toEqual([...ids].sort());
      const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
      expect(report.rows.map((row) => row.outcome)).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
      expect(h.notifications[0]).toMatchObject({ mode: 'live', counts: { deleted: 4 } });
    });

    it('live with a protect value that cannot be an identifier: a rejected report, every row invalid-protect, no call', async () => {
      const ids = h.emulator
        .users()
        .slice(20, 22)
        .map((user) => user.id);
      const before = h.emulator.stats().calls;
      const job = h.job('live/bad-protect.csv', csvOfIds(ids));
      const options = { ...h.deps.options, protect: ['admin@acme.test', '*@acme.test'] };
      const output = await createStepHandler({ ...h.deps, options })(job, contextWith(900_000));

      expect(output).toMatchObject({ done: true, status: 'rejected' });
      const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
      expect(report.error).toMatchObject({ code: 'invalid-protect' });
      expect(report.error?.message).toContain('"*@acme.test"');
      expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
        ['rejected', 'invalid-protect'],
        ['rejected', 'invalid-protect'],
      ]);
      expect(h.bucket.json(`${job.reportPrefix}retry.csv`)).toBeUndefined();
      const after = h.emulator.stats().calls;
      expect(after.list + after.get + after.delete).toBe(before.list + before.get + before.delete);
    });

    it('live: a directory user is rejected directory-managed unless the stack allows directory users', async () => {
      const [user] = h.emulator.users().slice(24, 25);
      if (!user) throw new Error('tenant too small');
      h.emulator.updateUser(user.id, { directory_id: 777 });
      const refused = h.job('live/directory.csv', csvOfIds([user.id]));
      await createStepHandler(h.deps)(refused, contextWith(900_000));
      const first = h.bucket.json<ReportJson>(`${refused.reportPrefix}report.json`)!;
      expect(first.rows[0]).toMatchObject({ outcome: 'rejected', reason: 'directory-managed' });

      const allowed = h.job('live/directory-allowed.csv', csvOfIds([user.id]));
      const options = { ...h.deps.options, allowDirectoryUsers: true };
      await createStepHandler({ ...h.deps, options })(allowed, contextWith(900_000));
      const second = h.bucket.json<ReportJson>(`${allowed.reportPrefix}report.json`)!;
      expect(second.rows[0]?.outcome).toBe('deleted');
    });

    it('a second call of a finished job changes nothing', async () => {
      const ids = h.emulator
        .users()
        .slice(0, 2)
        .map((user) => user.id);
      const job = h.job('live/again.csv', csvOfIds(ids));
      const step = createStepHandler(h.deps);
      const first = await step(job, contextWith(900_000));
      const deletionsAfterFirst = h.emulator.stats().deletions.length;
      const second = await step(first, contextWith(900_000));
      expect(second).toEqual(first);
      expect(h.emulator.stats().deletions).toHaveLength(deletionsAfterFirst);
    });

    it.each([
      ['a missing secret', undefined, 'secret-invalid', /cannot be read \(ResourceNotFoundException\)/],
      ['a secret that is not JSON', '{"client_id": "abc', 'secret-invalid', /not valid JSON/],
      [
        'a secret without client_secret',
        JSON.stringify({ client_id: CLIENT_ID, subdomain: 'acme' }),
        'secret-invalid',
        /no client_secret/,
      ],
      [
        'a secret without a host',
        JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
        'secret-invalid',
        /names no host/,
      ],
      [
        'plain http to a remote host',
        JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, api_url: 'http://acme.onelogin.example' }),
        'host-invalid',
        /not loopback/,
      ],
    ])('%s: the run is rejected with a clear report, zero API calls', async (_what, secret, code, message) => {
      h.setSecret(secret);
      const ids = h.emulator
        .users()
        .slice(0, 3)
        .map((user) => user.id);
      const job = h.job('live/refused.csv', csvOfIds(ids));

      const output = await createStepHandler(h.deps)(job, contextWith(900_000));

      expect(output).toMatchObject({ done: true, status: 'rejected' });
      expect(totalCalls(h.emulator)).toBe(0);
      expect(h.emulator.users()).toHaveLength(60);
      const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
      expect(report.job.status).toBe('rejected');
      expect(report.error?.code).toBe(code);
      expect(report.error?.message).toMatch(message);
      expect(report.rows.map((row) => row.outcome)).not.toContain('deleted');
      expect(h.notifications[0]).toMatchObject({ status: 'rejected', error: { code } });
      const everything = visibleText(h) + h.bucket.text(`${job.reportPrefix}report.json`);
      expect(everything).not.toContain(CLIENT_SECRET);
      expect(everything).not.toContain('abc');
    });

    it("the secret's account_id guards the account: another one is refused after the token call alone", async () => {
      const secret = { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, api_url: h.emulator.url };
      h.setSecret(JSON.stringify({ ...secret, account_id: 1 }));
      const ids = h.emulator
        .users()
        .slice(0, 3)
        .map((user) => user.id);
      const job = h.job('live/other-account.csv', csvOfIds(ids));
      const output = await createStepHandler(h.deps)(job, contextWith(900_000));
      expect(output).toMatchObject({ done: true, status: 'rejected' });
      const { token, ...others } = h.emulator.stats().calls;
      expect(token).toBe(1);
      expect(Object.values(others).every((count) => count === 0)).toBe(true);
      const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
      expect(report.error?.code).toBe('wrong-account');
      expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual(ids.map(() => ['rejected', 'wrong-account']));
      expect(h.bucket.text(`${job.reportPrefix}retry.csv`)).toBeUndefined();

      h.setSecret(JSON.stringify({ ...secret, account_id: '189185' }));
      const right = h.job('live/right-account.csv', csvOfIds(ids));
      expect(await createStepHandler(h.deps)(right, contextWith(900_000))).toMatchObject({ status: 'completed' });
      expect(h.emulator.stats().deletions).toHaveLength(3);
    });

    it('an invalid API URL override is refused like a bad secret', async () => {
      h.deps.options.apiUrlOverride = 'http://203.0.113.9:80';
      const job = h.job('dry-run/override.csv', csvOfIds([h.emulator.users()[0]!.id]));
      const output = await createStepHandler(h.deps)(job, contextWith(900_000));
      expect(output).toMatchObject({ done: true, status: 'rejected' });
      expect(h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!.error?.code).toBe('host-invalid');
      expect(totalCalls(h.emulator)).toBe(0);
    });

    it('never shows secrets, tokens or row values in notifications or logs, and every job line carries the job keys', async () => {
      const users = h.emulator.users().slice(20, 23);
      const job = h.job(
        'live/quiet.csv',
        `id,email\n${users.map((user) => `${user.id},${user.email ?? ''}`).join('\n')}\n`,
      );
      await createStepHandler(h.deps)(job, contextWith(900_000));
      expect(h.notifications).toHaveLength(1);
      const text = visibleText(h);
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(CLIENT_ID);
      expect(text).not.toMatch(/bearer|access_token/i);
      for (const user of users) {
        if (user.email) expect(text).not.toContain(user.email);
        expect(text).not.toContain(`"${user.id}"`);
      }
      expect(h.lines.length).toBeGreaterThan(0);
      for (const line of h.lines)
        expect(line.fields).toMatchObject({ bucket: 'jobs-bucket', key: job.key, jobId: job.jobId, mode: 'live' });
    });

    it('a failed notification is logged and counted; the finished job stays finished', async () => {
      h.deps.notify = async () => {
        throw new Error('topic gone');
      };
      const job = h.job('dry-run/unnotified.csv', csvOfIds([h.emulator.users()[0]!.id]));
      await expect(createStepHandler(h.deps)(job, contextWith(900_000))).resolves.toMatchObject({
        done: true,
        status: 'completed',
      });
      expect(h.lines.find((line) => line.message === 'notification failed')?.fields).toMatchObject({
        jobId: job.jobId,
        error: { message: 'topic gone' },
      });
      expect(h.metrics.at(-1)).toEqual({ mode: 'dry-run', counts: { NotificationsFailed: 1 } });
    });

    it('refuses a payload that points outside reports/ and state/', async () => {
      const job = h.job('live/x.csv', 'id\n1\n');
      await expect(createStepHandler(h.deps)({ ...job, statePrefix: 'live/' }, contextWith(900_000))).rejects.toThrow(
        /statePrefix/,
      );
      expect(h.bucket.writes).toEqual([]);
    });
  });

  describe('with a tight rate limit', () => {
    beforeEach(async () => {
      h = await startStepHarness({ rateLimit: { limit: 8, windowSeconds: 60, sendHeaders: true } });
    });

    it('live: steps return waitSeconds instead of sleeping, and the job finishes after the waits', async () => {
      const ids = h.emulator
        .users()
        .slice(30, 36)
        .map((user) => user.id);
      const job = h.job('live/slow.csv', csvOfIds(ids));
      const step = createStepHandler(h.deps);
      const outputs: StepOutput[] = [];
      let state: StepOutput | typeof job = job;
      for (let i = 0; i < 40; i += 1) {
        const startedAt = h.clock.now();
        const output: StepOutput = await step(state, contextWith(75_000));
        // Deadline = now + 75 s − 60 s margin: a step never runs (fake) time past it.
        expect(h.clock.now() - startedAt).toBeLessThanOrEqual(15_000);
        outputs.push(output);
        state = output;
        if (output.done) break;
        h.clock.advance(output.waitSeconds * 1000);
      }
      const last = outputs.at(-1)!;
      expect(last).toMatchObject({ done: true, status: 'completed' });
      expect(outputs.some((output) => !output.done && output.waitSeconds > 0)).toBe(true);
      for (const output of outputs) expect(Number.isInteger(output.waitSeconds)).toBe(true);
      expect(
        h.emulator
          .stats()
          .deletions.map((deletion) => deletion.id)
          .sort(),
      ).toEqual([...ids].sort());
      const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
      expect(report.rows.every((row) => row.outcome === 'deleted')).toBe(true);
      expect(h.notifications).toHaveLength(1);
      const apiCalls = h.metrics.reduce((sum, entry) => sum + (entry.counts.ApiCalls ?? 0), 0);
      expect(apiCalls).toBe(totalCalls(h.emulator));
      expect(h.published()[0]).toMatchObject({ TopicArn: TOPIC, Subject: expect.stringContaining('live completed') });
    });
  });
});
