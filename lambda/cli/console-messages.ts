// The sentences the command prints on a terminal: the engine's log events, the client's waits, the input's warnings.
// Structured log lines belong to Lambda; a person at a console reads these instead.
import type { ClientWait } from '../onelogin/client-types.ts';

type Fields = Record<string, unknown> | undefined;

/** Engine log events a person should see, as sentences. Others become a plain sentence from the event's own words. */
const EVENT_SENTENCES: Record<string, (fields: Fields) => string> = {
  'input refused as a whole': (fields) =>
    `The input file was refused as a whole${codeSuffix(fields)}: nothing was changed (the summary below says why).`,
  'plan refused: over the deletion budget': (fields) =>
    `The plan is over the deletion budget (${String(fields?.planned ?? '?')} users to delete of ${String(fields?.accountUsers ?? '?')} in the account): nothing will be deleted.`,
  'account listing failed; falling back to per-row lookups': () =>
    'Listing the whole account failed; looking the users up one by one instead (slower, same result).',
  'account listing does not fit a step and cannot resume; falling back to per-row lookups': () =>
    'The account is too large to list at once; looking the users up one by one instead (slower, same result).',
  'could not check deletions in flight when the job stopped': () =>
    'Could not check the deletions in flight when the run stopped: the report marks them as unknown.',
  'job aborted': (fields) => `The run was stopped${codeSuffix(fields)}; writing the report of how far it got.`,
  'directory unavailable: stopping the job': (fields) =>
    `OneLogin cannot be used${codeSuffix(fields)}: the run stops here (the summary below says why).`,
};

export function consoleSentence(level: 'warning' | 'error', message: string, fields?: Fields): string {
  const known = EVENT_SENTENCES[message];
  if (known) return known(fields);
  const detail = plainFields(fields);
  return `${level === 'error' ? 'Error' : 'Warning'}: ${message}${detail ? ` (${detail})` : ''}.`;
}

function codeSuffix(fields: Fields): string {
  return typeof fields?.code === 'string' ? ` (${fields.code})` : '';
}

/** `key value, key value` for numbers, booleans and short strings; nested values are left out. */
function plainFields(fields: Fields): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, value]) => ['number', 'boolean', 'string'].includes(typeof value) && String(value).length <= 80)
    .map(([key, value]) => `${key} ${String(value)}`)
    .join(', ');
}

const REQUEST_NAMES: Record<string, string> = {
  token: 'token request',
  get: 'user lookup',
  list: 'user listing',
  delete: 'deletion',
};

/** `waiting 42 s for the rate-limit window`, `retrying the token request 3/6: connection refused`. */
export function describeClientWait(wait: ClientWait): string {
  const seconds = Math.max(1, Math.round(wait.ms / 1000));
  if (wait.reason === 'rate-limit') return `waiting ${seconds} s for the rate-limit window`;
  const request = REQUEST_NAMES[wait.request ?? ''] ?? 'request';
  const count = wait.attempt !== undefined && wait.of !== undefined ? ` ${wait.attempt}/${wait.of}` : '';
  return `retrying the ${request}${count} in ${seconds} s: ${describeCause(wait.cause, wait.detail)}`;
}

function describeCause(cause: string | undefined, detail: string | undefined): string {
  if (cause === 'timeout') return 'no answer in time';
  if (cause === 'network') {
    if (detail?.includes('ECONNREFUSED')) return 'connection refused';
    if (detail?.includes('ECONNRESET')) return 'connection reset';
    if (detail?.includes('ENOTFOUND') || detail?.includes('EAI_AGAIN')) return 'host not found';
    return 'network error';
  }
  const status = /^http-(\d{3})$/.exec(cause ?? '')?.[1];
  return status ? `OneLogin answered ${status}` : (cause ?? 'failed');
}

/** The engine told the driver to wait before its next step: the rate-limit window is used up. */
export function describeStepWait(seconds: number): string {
  return `waiting ${seconds} s for the rate-limit window (Ctrl-C stops the run with a report)`;
}

/** The input's warnings (Windows-1252 decoding, ignored columns), as report.json's `input.warnings` holds them. */
export function inputWarningLines(warnings: readonly string[] | undefined): string[] {
  return (warnings ?? []).map((warning) => `Note on the input: ${warning}`);
}
