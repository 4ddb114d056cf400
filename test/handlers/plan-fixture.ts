// A dry run's plan.json for tests. When the engine writes plan.json itself (docs/plans.md), the dry run's own plan is
// kept; otherwise one is written from the dry run's report the way the engine records it (planIdFor, the input's sha256).
import { createHash } from 'node:crypto';
import type { PlanDocument, PlannedUser } from '../../lambda/engine/plan/plan-document.ts';
import { PLAN_SCHEMA_VERSION, planIdFor } from '../../lambda/engine/plan/plan-document.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';

export interface PlanFiles {
  read(key: string): Promise<string | undefined>;
  write(key: string, text: string): Promise<void>;
}

export async function ensureDryRunPlan(
  files: PlanFiles,
  reportPrefix: string,
  csv: string,
  options: { host: string; createdAt?: string } = { host: '127.0.0.1' },
): Promise<PlanDocument> {
  const existing = await files.read(`${reportPrefix}plan.json`);
  if (existing !== undefined) return JSON.parse(existing) as PlanDocument;
  const reportText = await files.read(`${reportPrefix}report.json`);
  if (reportText === undefined) throw new Error(`no report under ${reportPrefix}: run the dry run first`);
  const report = JSON.parse(reportText) as ReportDocument;
  const sha256 = createHash('sha256').update(csv).digest('hex');
  const createdAt = options.createdAt ?? report.job.finishedAt ?? new Date().toISOString();
  const account = { host: options.host };
  const users: PlannedUser[] = report.rows
    .filter((row) => row.outcome === 'would-delete' && row.user !== undefined)
    .map((row) => ({
      line: row.line,
      id: row.user?.id ?? 0,
      username: row.user?.username ?? null,
      email: row.user?.email ?? null,
      firstname: null,
      lastname: null,
      status: null,
      state: null,
      directory_id: null,
      updated_at: null,
      last_login: null,
    }));
  const plan: PlanDocument = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    kind: 'plan',
    planId: planIdFor(sha256, account, createdAt),
    createdAt,
    jobId: report.job.id,
    input: { name: report.job.source, sha256, rows: report.rows.length },
    account,
    settings: {},
    users,
  };
  await files.write(`${reportPrefix}plan.json`, JSON.stringify(plan));
  return plan;
}
