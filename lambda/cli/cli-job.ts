// The engine job of one command run: its spec (id, mode, action, budget, protect list, undo options) and its dependencies.
import { randomUUID } from 'node:crypto';
import type { EngineDeps, JobSpec } from '../engine/job.ts';
import type { PlanDocument } from '../engine/plan/plan-document.ts';
import type { InputSource, Logger, ObjectStore, UserDirectory } from '../engine/ports.ts';
import { systemClock } from '../engine/ports.ts';
import type { ProtectInput } from '../engine/protect-rules.ts';
import { consoleSentence } from './console-messages.ts';
import type { CliOptions } from './parse-args.ts';
import type { ProgressDisplay } from './progress-display.ts';
import { createRedactor } from './redact.ts';
import { STATE_PREFIX } from './run-dependencies.ts';

export interface CliJobParts {
  options: CliOptions;
  protect: ProtectInput[];
  startedAt: Date;
  input: InputSource;
  store: ObjectStore;
  directory: UserDirectory;
  display: ProgressDisplay;
  plan?: PlanDocument;
}

export function buildJob(parts: CliJobParts): { spec: JobSpec; deps: EngineDeps } {
  const { options, display } = parts;
  const deps: EngineDeps = {
    store: parts.store,
    input: parts.input,
    directory: parts.directory,
    clock: systemClock,
    logger: cliLogger(display, createRedactor([options.credentials.clientSecret])),
    onProgress: (progress) => display.update(progress),
  };
  const spec: JobSpec = {
    id: `cli-${parts.startedAt.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
    mode: options.mode,
    action: options.action,
    source: options.file,
    options: {
      protect: parts.protect,
      maxPercent: options.maxPercent,
      settingNames: 'cli',
      ...(options.allowDirectoryUsers ? { allowDirectoryUsers: true } : {}),
      ...(options.maxDeletions !== undefined ? { maxDeletions: options.maxDeletions } : {}),
      ...(options.expectedAccountId !== undefined ? { expectedAccountId: options.expectedAccountId } : {}),
      planMaxAgeHours: options.planMaxAgeHours,
      ...(options.onlySuspended ? { onlySuspended: true } : {}),
      ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}),
    },
    reportPrefix: '',
    statePrefix: STATE_PREFIX,
    ...(parts.plan !== undefined && options.mode === 'live' ? { plan: parts.plan } : {}),
    ...(options.profile !== undefined ? { accountName: options.profile } : {}),
  };
  return { spec, deps };
}

/** Warnings and errors as sentences on the console (console-messages.ts); no structured log line reaches a terminal. */
function cliLogger(display: ProgressDisplay, redact: (text: string) => string): Logger {
  const line = (level: 'warning' | 'error', message: string, fields?: Record<string, unknown>) =>
    display.log(redact(consoleSentence(level, message, fields)));
  return {
    debug() {},
    info() {},
    warn: (message, fields) => line('warning', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}
