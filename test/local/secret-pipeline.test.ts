// A missing or malformed OneLogin secret: the run is rejected with a report, no user is touched, no secret value leaks.
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { csvOf, reportOf } from './pipeline-fixtures.ts';

const SECRET_VALUE = 'do-not-leak-7f3a9c1e';

describe('local pipeline with a bad secret', () => {
  let pipeline: LocalPipeline | undefined;
  afterEach(async () => {
    await pipeline?.close();
    pipeline = undefined;
  });

  for (const [label, secretJson] of [
    ['missing', null],
    ['malformed JSON', `{"client_id": "demo", "client_secret": "${SECRET_VALUE}"`],
    ['without a host', JSON.stringify({ client_id: 'demo', client_secret: SECRET_VALUE })],
  ] as const) {
    it(`${label}: a rejected report, zero deletions, no OneLogin call`, async () => {
      // No dry run before these live uploads: the secret's refusal is what is tested, not the plan binding.
      pipeline = await startLocalPipeline({ secretJson, requireReviewedPlan: false });
      const users = pipeline.emulator.users().slice(0, 3);
      await pipeline.upload(
        'live/bad-secret.csv',
        csvOf(
          'id',
          users.map((user) => String(user.id)),
        ),
      );
      const execution = await pipeline.waitForKey('live/bad-secret.csv');

      expect(execution.status).toBe('SUCCEEDED');
      const report = await reportOf(pipeline, execution);
      expect(report.job.status).toBe('rejected');
      expect(report.error).toBeDefined();
      expect(report.rows.every((row) => row.outcome !== 'deleted')).toBe(true);
      expect(pipeline.emulator.stats().deletions).toEqual([]);
      expect(pipeline.emulator.stats().calls.token).toBe(0);
      for (const key of await pipeline.listReports(execution.input.reportPrefix)) {
        expect(await pipeline.readObject(key)).not.toContain(SECRET_VALUE);
      }
      expect(JSON.stringify(pipeline.notifications)).not.toContain(SECRET_VALUE);
    });
  }
});
