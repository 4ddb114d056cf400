// The local pipeline's handlers, wired as the stack wires them: the on-upload handler behind the S3 event bridge starts
// executions of the local Step Functions, which runs the step handler and finalizes on stop or failure.
import type { S3Client } from '@aws-sdk/client-s3';
import { S3InputSource } from '../adapters/s3-input-source.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import type { Clock, Logger } from '../engine/ports.ts';
import { createFinalizeHandler } from '../handlers/finalize-handler.ts';
import type { JobInput } from '../handlers/handler-contract.ts';
import type { StepHandlerOptions } from '../handlers/handler-options.ts';
import { createOnUploadHandler } from '../handlers/on-upload-handler.ts';
import { createStepHandler } from '../handlers/step-handler.ts';
import type { AccountsSetting } from '../settings/accounts-setting.ts';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';
import { JOB_FUNCTION_ARNS } from './job-definition.ts';
import { uploadPrincipalOf } from './local-s3.ts';
import type { ExecutionRecord, LocalStepFunctions } from './local-step-functions.ts';
import { createLocalStepFunctions } from './local-step-functions.ts';
import type { S3EventBridge } from './s3-event-bridge.ts';
import { createS3EventBridge } from './s3-event-bridge.ts';

export interface PipelineHandlerDeps {
  s3: S3Client;
  loadSettings: (account?: string) => Promise<OneLoginSettings>;
  /** Several accounts (pipeline-accounts.ts): keys carry the account folder. */
  accounts?: AccountsSetting;
  /** Receives every SNS message the handlers publish. */
  notifications: RunSummaryMessage[];
  logger: Logger;
  clock: Clock;
  runSettings: StepHandlerOptions;
  stepTimeMs?: number;
  timeScale: number;
  onExecution?: (message: string, execution: ExecutionRecord) => void;
}

export interface PipelineHandlers {
  stepFunctions: LocalStepFunctions;
  events: S3EventBridge;
}

export function wirePipelineHandlers(deps: PipelineHandlerDeps): PipelineHandlers {
  const { s3, logger, clock } = deps;
  const storeFor = (name: string): S3ObjectStore => new S3ObjectStore(s3, name);
  const inputFor = (job: JobInput): S3InputSource => new S3InputSource(s3, job.bucket, job.key, job.versionId);
  const handlerDeps = {
    storeFor,
    inputFor,
    loadSettings: deps.loadSettings,
    notify: async (message: RunSummaryMessage) => {
      deps.notifications.push(message);
    },
    logger,
    clock,
    options: deps.runSettings,
    ...(deps.accounts === undefined ? {} : { accounts: deps.accounts }),
  };
  const finalize = createFinalizeHandler(handlerDeps);
  const stepFunctions = createLocalStepFunctions({
    functions: { [JOB_FUNCTION_ARNS.step]: createStepHandler(handlerDeps), [JOB_FUNCTION_ARNS.finalize]: finalize },
    onExecutionEnded: (event) => finalize(event),
    ...(deps.stepTimeMs === undefined ? {} : { stepTimeMs: deps.stepTimeMs }),
    waitScale: 1 / deps.timeScale,
    now: () => clock.now(),
    onEvent: (message, execution) => {
      logger.info(`execution ${message}`, { jobId: execution.name, key: execution.input.key, steps: execution.steps });
      deps.onExecution?.(message, execution);
    },
  });
  const onUpload = createOnUploadHandler({
    startExecution: (input) => stepFunctions.startExecution(input),
    storeFor,
    logger,
    clock,
    ...(deps.accounts === undefined ? {} : { accounts: deps.accounts }),
  });
  const events = createS3EventBridge(
    onUpload,
    (key, error) =>
      logger.error('on-upload failed', { key, error: error instanceof Error ? error.message : String(error) }),
    (name, key) => uploadPrincipalOf(s3, name, key),
  );
  return { stepFunctions, events };
}
