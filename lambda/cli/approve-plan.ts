// Before a live run's first deletion: show the plan, and when standard input is a terminal ask for a typed yes
// (unless --yes). A live run without a terminal and without --yes never gets here (main refuses it first).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PlanSummary } from '../engine/job.ts';
import type { Action, Outcome } from '../engine/outcomes.ts';
import type { ObjectStore } from '../engine/ports.ts';
import { wordsFor } from './action-words.ts';
import type { CliIo } from './cli-io.ts';
import { askYes } from './confirm.ts';
import { formatPlannedUsers, PREVIEW_USERS, plannedUsers } from './plan-preview.ts';
import type { ProgressDisplay } from './progress-display.ts';
import { formatCounts } from './progress-display.ts';

export interface ApprovalContext {
  yes: boolean;
  /** What the run does to the planned users; default delete. */
  action?: Action;
  /** The OneLogin host, and the account id when the directory knows it (from the token's account_id). */
  host: string;
  accountId: () => Promise<number | undefined>;
  io: CliIo;
  display: ProgressDisplay;
  signal: AbortSignal;
  store: ObjectStore;
  statePrefix: string;
  reportDir: string;
}

/** What the confirmation says will follow, so that nobody types yes thinking a deletion can be taken back. */
const CONSEQUENCE: Record<Action, string> = {
  delete: 'This cannot be undone.',
  suspend: 'They are signed out; snapshot.jsonl keeps their previous status, so --restore can reactivate them.',
  restore:
    'Deleted users come back as new users (new ids, no password, no MFA factors); suspended users get their previous status.',
};

export async function approvePlan(plan: PlanSummary, context: ApprovalContext): Promise<boolean> {
  const { io, display, host } = context;
  const words = wordsFor(context.action);
  const others = { ...plan.counts, [words.done]: 0, [`would-${words.verb}`]: 0 } as Record<Outcome, number>;
  const othersText = Object.values(others).some((count) => count > 0)
    ? `; the other rows: ${formatCounts(others)}`
    : '';
  display.log(
    `Plan: ${plan.toDelete} of ${plan.rows} rows to ${words.verb} ${words.where} ${host} (${plan.accountUsers} users in the account)${othersText}`,
  );
  if (plan.toDelete === 0 || context.yes) return true;
  display.stop();
  io.stderr.write(await planText(plan, context));
  const agreed = await askYes(
    `${words.Verb} ${plan.toDelete} users ${words.where} ${host}? ${CONSEQUENCE[context.action ?? 'delete']} Type yes to go on: `,
    io.stdin,
    io.stderr,
    context.signal,
  );
  if (!agreed) io.stderr.write('Not confirmed.\n');
  return agreed;
}

async function planText(plan: PlanSummary, context: ApprovalContext): Promise<string> {
  const accountId = await context.accountId();
  const account = `${context.host}, account id ${accountId ?? 'not told by OneLogin'}`;
  const users = await plannedUsers(context.store, context.statePrefix);
  const planFile = path.join(context.reportDir, 'plan.json');
  const shown = Math.min(PREVIEW_USERS, plan.toDelete);
  const { verb } = wordsFor(context.action);
  return (
    `\nAccount: ${account}\n` +
    `Rows: ${plan.rows}; to ${verb}: ${plan.toDelete}; users in the account: ${plan.accountUsers}\n` +
    `${shown === plan.toDelete ? `Users to ${verb}` : `The first ${shown} users to ${verb}`} (id, name, email, last sign-in):\n` +
    formatPlannedUsers(users, plan.toDelete) +
    (existsSync(planFile) ? `The whole plan: ${planFile}\n` : '') +
    '\n'
  );
}
