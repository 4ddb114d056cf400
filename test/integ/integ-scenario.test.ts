// The real-AWS integration scenario (npm run integ) run on the local pipeline, so that its code cannot rot unnoticed.
import { afterEach, describe, expect, it } from 'vitest';
import { buildDemoSample } from '../../lambda/local/demo-sample.ts';
import type { LocalPipeline, LocalPipelineOptions } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import type { PipelineUnderTest } from './integ-scenario.ts';
import { runIntegScenario } from './integ-scenario.ts';
import { plannedDeletions } from './sample-assertions.ts';

function localTarget(pipeline: LocalPipeline): PipelineUnderTest {
  return {
    bucket: pipeline.bucket,
    upload: (key, body) => pipeline.upload(key, body),
    listKeys: (prefix) => pipeline.listReports(prefix),
    readText: (key) => pipeline.readObject(key),
    deletedUserIds: async () => pipeline.emulator.stats().deletions.map((deletion) => deletion.id),
  };
}

describe('the integration scenario on the local pipeline', () => {
  let pipeline: LocalPipeline | undefined;
  const start = async (options: LocalPipelineOptions = {}): Promise<PipelineUnderTest> => {
    // The demo rate limit paces ~8 calls per second; a 10× clock keeps the same decisions in a tenth of the time.
    pipeline = await startLocalPipeline({ timeScale: 10, ...options });
    return localTarget(pipeline);
  };
  afterEach(async () => {
    await pipeline?.close();
    pipeline = undefined;
  });

  it('passes: the dry run plans, the live run deletes exactly the planned users', async () => {
    const target = await start();
    const result = await runIntegScenario(target, { runId: 'local', pollMs: 50, reportTimeoutMs: 60_000 });
    expect(result.dryRunReport).toMatch(/^reports\/dry-run\/integ-local\/[^/]+\/report\.json$/);
    expect(result.liveReport).toMatch(/^reports\/live\/integ-local\/[^/]+\/report\.json$/);
  });

  it('fails when the pipeline does not do what the sample expects (a planned user is protected)', async () => {
    const [protectedId] = plannedDeletions(buildDemoSample());
    const target = await start({ protect: [String(protectedId)] });
    await expect(runIntegScenario(target, { runId: 'protected', pollMs: 50, reportTimeoutMs: 60_000 })).rejects.toThrow(
      /Expected values to be strictly deep-equal/,
    );
  });
});
