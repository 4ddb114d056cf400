import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPowertoolsLogger,
  createPowertoolsMetrics,
  outcomeMetricName,
  withFields,
} from '../../lambda/handlers/observability.ts';

/** Everything Powertools writes, whichever console or stream it uses. */
function captureOutput(): { text: () => string } {
  const chunks: string[] = [];
  const grab = (...args: unknown[]) => {
    chunks.push(args.map(String).join(' '));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab as never);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab as never);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation(grab);
  return { text: () => chunks.join('\n') };
}

describe('observability', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('logs JSON lines with the job keys merged into every line', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    const output = captureOutput();
    const log = withFields(createPowertoolsLogger('test-service'), {
      bucket: 'b',
      key: 'live/a.csv',
      jobId: 'J',
      mode: 'live',
    });
    log.info('job started', { outcome: 'started' });
    log.warn('slow', {});
    const lines = output
      .text()
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      message: 'job started',
      service: 'test-service',
      bucket: 'b',
      key: 'live/a.csv',
      jobId: 'J',
      mode: 'live',
      outcome: 'started',
    });
    expect(lines[1]).toMatchObject({ level: 'WARN', jobId: 'J' });
  });

  it('publishes counts as EMF in the namespace from the environment, with a Mode dimension', () => {
    vi.stubEnv('POWERTOOLS_DEV', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'OneLoginBulkDeleteTest');
    const output = captureOutput();
    createPowertoolsMetrics('test-service').publish('dry-run', { RowsWouldDelete: 3, ApiCalls: 7 });
    const blob = JSON.parse(
      output
        .text()
        .split('\n')
        .find((line) => line.includes('_aws'))!,
    ) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>;
      };
    };
    const directive = blob._aws.CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe('OneLoginBulkDeleteTest');
    expect(directive.Dimensions.flat()).toContain('Mode');
    expect(directive.Metrics.map((metric) => metric.Name).sort()).toEqual(['ApiCalls', 'RowsWouldDelete']);
    expect(blob).toMatchObject({ Mode: 'dry-run', RowsWouldDelete: 3, ApiCalls: 7 });
  });

  it('names outcome metrics in CloudWatch style', () => {
    expect(outcomeMetricName('would-delete')).toBe('RowsWouldDelete');
    expect(outcomeMetricName('already-absent')).toBe('RowsAlreadyAbsent');
    expect(outcomeMetricName('failed')).toBe('RowsFailed');
  });
});
