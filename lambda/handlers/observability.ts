// Logging and metrics for the handlers: the engine's Logger port over Powertools, per-job keys on every line, run metrics.
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Mode } from '../engine/outcomes.ts';
import type { Logger } from '../engine/ports.ts';

export const SERVICE_NAME = 'onelogin-bulk-delete';

/** The keys every line about a job carries. */
export interface JobLogKeys {
  bucket: string;
  key: string;
  jobId: string;
  mode: Mode;
}

/** A Logger that adds `fields` to every line (the job's keys), so the engine's lines carry them too. */
export function withFields(logger: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (message, extra) => logger.debug(message, { ...fields, ...extra }),
    info: (message, extra) => logger.info(message, { ...fields, ...extra }),
    warn: (message, extra) => logger.warn(message, { ...fields, ...extra }),
    error: (message, extra) => logger.error(message, { ...fields, ...extra }),
  };
}

/** JSON lines via Powertools (level from POWERTOOLS_LOG_LEVEL). */
export function createPowertoolsLogger(serviceName = SERVICE_NAME): Logger {
  const logger = new PowertoolsLogger({ serviceName });
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
  };
}

/** Counters for one job, published with a Mode dimension. */
export interface RunMetrics {
  publish(mode: Mode, counts: Record<string, number>): void;
}

export const noMetrics: RunMetrics = { publish() {} };

/** CloudWatch EMF via Powertools; the namespace comes from POWERTOOLS_METRICS_NAMESPACE. */
export function createPowertoolsMetrics(serviceName = SERVICE_NAME): RunMetrics {
  const metrics = new Metrics({ serviceName });
  return {
    publish(mode, counts) {
      const entries = Object.entries(counts).filter(([, value]) => Number.isFinite(value));
      if (entries.length === 0) return;
      metrics.addDimension('Mode', mode);
      for (const [name, value] of entries) metrics.addMetric(name, MetricUnit.Count, value);
      metrics.publishStoredMetrics();
    },
  };
}

/** `would-delete` → `RowsWouldDelete`: CloudWatch-friendly metric names for outcome counts. */
export function outcomeMetricName(outcome: string): string {
  return `Rows${outcome
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
}
