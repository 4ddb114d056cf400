// The integration scenario, written once for every place the pipeline runs: upload the demo sample under dry-run/,
// wait for its report and check every row and that nothing was deleted; then under live/, and check that exactly the
// planned users were deleted, once each. run-integ.ts runs it on real AWS, integ-scenario.test.ts on the local pipeline.
import path from 'node:path';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import { reportPrefixFor } from '../../lambda/handlers/job-naming.ts';
import type { DemoSample } from '../../lambda/local/demo-sample.ts';
import { buildDemoSample } from '../../lambda/local/demo-sample.ts';
import { assertDeletedExactly, assertDryRunReport, assertLiveReport } from './sample-assertions.ts';

/** What the scenario needs from a deployed (or local) pipeline and its OneLogin emulator. */
export interface PipelineUnderTest {
  readonly bucket: string;
  upload(key: string, body: string): Promise<void>;
  listKeys(prefix: string): Promise<string[]>;
  readText(key: string): Promise<string>;
  /** Ids the emulator deleted, one entry per successful DELETE. */
  deletedUserIds(): Promise<number[]>;
}

export interface ScenarioOptions {
  /** Makes the keys unique to this run. */
  runId: string;
  /** Longest wait for one report (default 15 minutes: a cold deployment's first step is slow). */
  reportTimeoutMs?: number;
  pollMs?: number;
  log?: (message: string) => void;
  sample?: DemoSample;
}

export interface ScenarioResult {
  dryRunReport: string;
  liveReport: string;
}

/**
 * The first report.json under the key's report folder (any job id), once it is there — and for a completed dry run,
 * once its approval.json is there too (the step writes it right after the report; a live upload binds to it).
 */
export async function waitForReport(
  target: PipelineUnderTest,
  key: string,
  timeoutMs: number,
  pollMs: number,
): Promise<{ key: string; report: ReportDocument }> {
  const folder = `${path.posix.dirname(reportPrefixFor(key, 'job'))}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const keys = await target.listKeys(folder);
    const found = keys.find((candidate) => candidate.endsWith('/report.json'));
    if (found !== undefined) {
      const report = JSON.parse(await target.readText(found)) as ReportDocument;
      const approval = found.replace(/report\.json$/, 'approval.json');
      const approved = report.job.mode !== 'dry-run' || report.job.status !== 'completed' || keys.includes(approval);
      if (approved) return { key: found, report };
    }
    if (Date.now() > deadline)
      throw new Error(`no report.json under ${folder} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function runIntegScenario(target: PipelineUnderTest, options: ScenarioOptions): Promise<ScenarioResult> {
  const sample = options.sample ?? buildDemoSample();
  const timeoutMs = options.reportTimeoutMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 5_000;
  const log = options.log ?? (() => undefined);
  const dryRunKey = `dry-run/integ-${options.runId}.csv`;
  const liveKey = `live/integ-${options.runId}.csv`;

  log(`uploading ${dryRunKey}`);
  await target.upload(dryRunKey, sample.csv);
  const dryRun = await waitForReport(target, dryRunKey, timeoutMs, pollMs);
  log(`checking ${dryRun.key}`);
  assertDryRunReport(dryRun.report, sample, `s3://${target.bucket}/${dryRunKey}`);
  assertDeletedExactly(await target.deletedUserIds(), { ...sample, expected: [] });

  log(`uploading ${liveKey}`);
  await target.upload(liveKey, sample.csv);
  const live = await waitForReport(target, liveKey, timeoutMs, pollMs);
  log(`checking ${live.key}`);
  assertLiveReport(live.report, sample, `s3://${target.bucket}/${liveKey}`);
  assertDeletedExactly(await target.deletedUserIds(), sample);
  return { dryRunReport: dryRun.key, liveReport: live.key };
}
