// Binds a live upload (live/, suspend/, restore/: every live kind of upload-kinds.ts) to its reviewed dry run once, at the job's first step, and keeps the decision in the job's
// state so that every later step (and a resumed one) runs under the same plan. A hand-started execution cannot skip
// it: the step handler, not the upload handler, decides.
import type { ListableObjectStore } from '../adapters/s3-object-store.ts';
import type { JobError } from '../engine/job.ts';
import type { PlanDocument } from '../engine/plan/plan-document.ts';
import type { InputSource } from '../engine/ports.ts';
import { putJson, readJson } from '../engine/store-json.ts';
import type { JobInput } from './handler-contract.ts';
import { inputSha256 } from './input-digest.ts';
import { dryRunKeyFor, reportFolderFor } from './job-naming.ts';
import { type PlanRules, planRuleRefusal } from './plan-rules.ts';
import { findReviewedPlan, readPlan } from './reviewed-plan-finder.ts';

export type { PlanRules } from './plan-rules.ts';

/** What the job's state records: bound to a plan, refused, or (requireReviewedPlan off, no plan) resolved as usual. */
export type PlanBinding =
  | { kind: 'bound'; sha256: string; planKey: string; planId: string; dryRunJobId: string }
  | { kind: 'refused'; sha256: string; refusal: JobError }
  | { kind: 'unbound'; sha256: string };

/** What the engine's JobSpec gets from the binding. */
export interface BoundSpec {
  plan?: PlanDocument;
  refusal?: JobError;
}

export function bindingKey(job: JobInput): string {
  return `${job.statePrefix}plan-binding.json`;
}

export async function planForLiveJob(
  job: JobInput,
  store: ListableObjectStore,
  input: InputSource,
  rules: PlanRules,
  now: number,
): Promise<{ binding: PlanBinding; spec: BoundSpec }> {
  const recorded = await readJson<PlanBinding>(store, bindingKey(job));
  if (recorded !== undefined) return { binding: recorded, spec: await specFor(recorded, store) };
  const decided = await decideBinding(job, store, input, rules, now);
  await putJson(store, bindingKey(job), decided.binding);
  return decided;
}

async function decideBinding(
  job: JobInput,
  store: ListableObjectStore,
  input: InputSource,
  rules: PlanRules,
  now: number,
): Promise<{ binding: PlanBinding; spec: BoundSpec }> {
  const sha256 = await inputSha256(input);
  const dryRunKey = dryRunKeyFor(job.key);
  const folder = reportFolderFor(dryRunKey);
  const found = await findReviewedPlan(store, folder, sha256, dryRunKey);
  const refusal = planRuleRefusal({ found, job, rules, now, dryRunKey, folder });
  if (refusal !== undefined) return { binding: { kind: 'refused', sha256, refusal }, spec: { refusal } };
  if (found === undefined) return { binding: { kind: 'unbound', sha256 }, spec: {} };
  const binding: PlanBinding = {
    kind: 'bound',
    sha256,
    planKey: found.planKey,
    planId: found.plan.planId,
    dryRunJobId: found.approval.jobId,
  };
  return { binding, spec: { plan: found.plan } };
}

/** A later step reads the plan it was bound to again; one that changed or vanished since stops the job. */
async function specFor(binding: PlanBinding, store: ListableObjectStore): Promise<BoundSpec> {
  if (binding.kind === 'refused') return { refusal: binding.refusal };
  if (binding.kind === 'unbound') return {};
  const plan = await readPlan(store, binding.planKey);
  if (plan === undefined || plan.planId !== binding.planId) {
    throw new Error(`the reviewed plan ${binding.planKey} (${binding.planId}) is gone or was replaced`);
  }
  return { plan };
}
