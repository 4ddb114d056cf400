// Ends a job that will not run again: the state machine's Catch, or the EventBridge "Execution Status Change" event of an
// execution that was stopped, failed or timed out. Writes the aborted report (rows processed so far) and notifies.

import type { EngineDeps } from '../engine/job.ts';
import { abortJob, readJobStatus } from '../engine/job-runner.ts';
import { accountRunFor, directoryForRun } from './account-run.ts';
import { createDirectoryProvider } from './directory-provider.ts';
import type { JobInput } from './handler-contract.ts';
import { jobOptionsFrom } from './handler-options.ts';
import type { FinalizeDeps } from './handler-types.ts';
import { InvalidJobInputError, jobSpecFor, parseJobInput } from './job-input.ts';
import { notifySafely } from './notify-safely.ts';
import { noMetrics, withFields } from './observability.ts';
import { runSummaryFor } from './run-summary.ts';

export type AbortCode = 'aborted' | 'failed' | 'timed-out';

/** The state machine's Catch payload. */
export interface CatchPayload extends JobInput {
  error?: { Error?: string; Cause?: string };
}

/** The EventBridge event for a Step Functions execution that ended. */
export interface ExecutionStatusChangeEvent {
  source?: string;
  'detail-type': string;
  detail: { status: string; name?: string; input?: string | null; error?: string | null; cause?: string | null };
}

export type FinalizeEvent = CatchPayload | ExecutionStatusChangeEvent;

export type FinalizeOutcome = 'aborted' | 'already-finished' | 'ignored';

const STATUS_CODES: Record<string, AbortCode> = { ABORTED: 'aborted', FAILED: 'failed', TIMED_OUT: 'timed-out' };
const MESSAGE_LIMIT = 300;

/** The job and why it stops, or why the event is ignored. Pure. */
export function finalizeRequestFor(
  event: unknown,
): { job: JobInput; code: AbortCode; message: string } | { ignore: string } {
  if (typeof event !== 'object' || event === null) return { ignore: 'event is not an object' };
  const fields = event as Record<string, unknown>;
  if (fields['detail-type'] !== undefined) {
    const detail = fields.detail as ExecutionStatusChangeEvent['detail'] | undefined;
    const code = detail === undefined ? undefined : STATUS_CODES[detail.status];
    if (detail === undefined || code === undefined)
      return { ignore: `execution status ${String(detail?.status)} needs no finalize` };
    if (typeof detail.input !== 'string') return { ignore: 'execution event carries no input' };
    let input: unknown;
    try {
      input = JSON.parse(detail.input);
    } catch {
      return { ignore: 'execution input is not JSON' };
    }
    const job = jobOrUndefined(input);
    if (job === undefined) return { ignore: 'execution input is not a job of this product' };
    return { job, code, message: executionMessage(code, detail.error, detail.cause) };
  }
  const job = jobOrUndefined(event);
  if (job === undefined) return { ignore: 'payload is not a job of this product' };
  const error = fields.error as CatchPayload['error'] | undefined;
  if (error === undefined || error === null) return { job, code: 'aborted', message: 'stopped by an operator' };
  const code: AbortCode = error.Error === 'States.Timeout' ? 'timed-out' : 'failed';
  return { job, code, message: catchMessage(error) };
}

/** A malformed payload is logged and ignored: throwing would only make the event be retried or the execution fail again. */
function jobOrUndefined(payload: unknown): JobInput | undefined {
  try {
    return parseJobInput(payload);
  } catch (error) {
    if (error instanceof InvalidJobInputError) return undefined;
    throw error;
  }
}

function executionMessage(code: AbortCode, error: string | null | undefined, cause: string | null | undefined): string {
  const base =
    code === 'aborted'
      ? 'the execution was stopped'
      : code === 'timed-out'
        ? 'the execution timed out'
        : 'the execution failed';
  const detail = [error, causeText(cause)]
    .filter((part) => part !== undefined && part !== null && part !== '')
    .join(': ');
  return clip(detail === '' ? base : `${base} (${detail})`);
}

function catchMessage(error: NonNullable<CatchPayload['error']>): string {
  const detail = [error.Error, causeText(error.Cause)].filter((part) => part !== undefined && part !== '').join(': ');
  return clip(`a step failed after its retries${detail === '' ? '' : ` (${detail})`}`);
}

/** A Lambda Cause is JSON {errorType, errorMessage, trace}: keep the message, never the trace. */
function causeText(cause: string | null | undefined): string | undefined {
  if (cause === undefined || cause === null || cause === '') return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: plain text
  }
  return cause;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MESSAGE_LIMIT ? oneLine : `${oneLine.slice(0, MESSAGE_LIMIT - 1)}…`;
}

export function createFinalizeHandler(
  deps: FinalizeDeps,
): (event: FinalizeEvent, context?: unknown) => Promise<FinalizeOutcome> {
  const metrics = deps.metrics ?? noMetrics;
  const provider = createDirectoryProvider(deps);
  return async (event) => {
    const request = finalizeRequestFor(event);
    if ('ignore' in request) {
      deps.logger.info('finalize: event ignored', { reason: request.ignore });
      return 'ignored';
    }
    const { job, code, message } = request;
    const log = withFields(deps.logger, { bucket: job.bucket, key: job.key, jobId: job.jobId, mode: job.mode });
    const run = accountRunFor(job.key, deps);
    const spec = jobSpecFor(job, jobOptionsFrom({ ...run.options, protect: run.options.protect ?? [] }));
    if (run.accountName !== undefined) spec.accountName = run.accountName;
    const store = deps.storeFor(job.bucket);
    const input = deps.inputFor(job);
    const peek: EngineDeps = {
      store,
      input,
      directory: (await directoryForRun(provider, run, log)).directory,
      clock: deps.clock,
      logger: log,
    };
    const existing = await readJobStatus(spec, peek);
    if (existing?.done) {
      log.info('finalize: the job had already finished; left as is', { status: existing.status, code });
      return 'already-finished';
    }
    const result = await abortJob(spec, peek, { code, message });
    const summary = runSummaryFor(job, result);
    if (run.accountName !== undefined) summary.account = { name: run.accountName };
    log.warn('job aborted', { code, reason: message, counts: summary.counts, reports: summary.reports });
    metrics.publish(job.mode, { JobsAborted: 1 });
    if (!(await notifySafely(deps.notify, summary, log))) metrics.publish(job.mode, { NotificationsFailed: 1 });
    return 'aborted';
  };
}
