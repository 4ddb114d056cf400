// Finds the reviewed dry run a live upload is bound to: the most recent completed dry run of a file of the same name
// whose plan.json records the same sha256 (docs/s3-layout.md).
import type { ListableObjectStore } from '../adapters/s3-object-store.ts';
import type { PlanDocument } from '../engine/plan/plan-document.ts';
import { parsePlan } from '../engine/plan/plan-document.ts';
import { readText } from '../engine/store-json.ts';
import type { DryRunApproval } from './dry-run-approval.ts';
import { readDryRunApproval } from './dry-run-approval.ts';

export const PLAN_FILE = 'plan.json';
const DRY_RUN_JOB_FOLDER = /^dry-run-[A-Za-z0-9_-]{1,72}\/$/;

export interface ReviewedPlan {
  planKey: string;
  plan: PlanDocument;
  approval: DryRunApproval;
}

/**
 * `folder` is `reports/dry-run/<name>/`. Only `<folder><jobId>/plan.json` counts: a nested name's folders
 * (`<folder>sub/<jobId>/…`) belong to another file. Newest first; a dry run without approval.json has not completed.
 * With `dryRunKey`, only a dry run of that exact key counts: `dry-run/<name>.csv` (a deletion's review) and
 * `dry-run/<name>.jsonl` (a restore's) share the folder but never approve each other.
 */
export async function findReviewedPlan(
  store: ListableObjectStore,
  folder: string,
  sha256: string,
  dryRunKey?: string,
): Promise<ReviewedPlan | undefined> {
  const candidates = (await store.list(folder))
    .filter((item) => item.key.endsWith(`/${PLAN_FILE}`))
    .filter((item) => DRY_RUN_JOB_FOLDER.test(item.key.slice(folder.length, -PLAN_FILE.length)))
    .sort((a, b) => b.lastModified - a.lastModified);
  for (const candidate of candidates) {
    const jobFolder = candidate.key.slice(0, -PLAN_FILE.length);
    const approval = await readDryRunApproval(store, jobFolder);
    if (approval === undefined || (dryRunKey !== undefined && approval.key !== dryRunKey)) continue;
    const plan = await readPlan(store, candidate.key);
    if (plan?.input.sha256 === sha256) return { planKey: candidate.key, plan, approval };
  }
  return undefined;
}

/** A plan that cannot be read is no plan: it never approves anything. */
export async function readPlan(store: ListableObjectStore, key: string): Promise<PlanDocument | undefined> {
  const text = await readText(store, key);
  if (text === undefined) return undefined;
  try {
    return parsePlan(text);
  } catch {
    return undefined;
  }
}
