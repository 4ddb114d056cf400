// Helpers shared by the local pipeline tests: reading a run's report and picking users from the demo tenant.

import type { EmulatorUser } from '../../lambda/emulator/emulator-types.ts';
import type { RowOutcome } from '../../lambda/engine/outcomes.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { putObject } from '../../lambda/local/local-s3.ts';
import type { ExecutionRecord } from '../../lambda/local/local-step-functions.ts';
import type { PlanFiles } from '../handlers/plan-fixture.ts';

export type ReportRow = RowOutcome;
export type Report = ReportDocument;

export async function reportOf(pipeline: LocalPipeline, execution: ExecutionRecord): Promise<Report> {
  return JSON.parse(await pipeline.readObject(`${execution.input.reportPrefix}report.json`)) as Report;
}

export function deletedIds(pipeline: LocalPipeline): number[] {
  return pipeline.emulator
    .stats()
    .deletions.map((deletion) => deletion.id)
    .sort((a, b) => a - b);
}

/** Users with an email no other user shares (case-insensitively), in id order. */
export function usersWithOwnEmail(users: EmulatorUser[]): EmulatorUser[] {
  const counts = new Map<string, number>();
  for (const user of users)
    if (user.email) counts.set(user.email.toLowerCase(), (counts.get(user.email.toLowerCase()) ?? 0) + 1);
  return users.filter(
    (user) => user.email !== null && counts.get(user.email.toLowerCase()) === 1 && !/[*,!]/.test(user.email),
  );
}

export function csvOf(header: string, rows: string[]): string {
  return `${[header, ...rows].join('\n')}\n`;
}

export async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The pipeline's bucket as plan-fixture.ts reads and writes it. */
export function pipelineFiles(pipeline: LocalPipeline): PlanFiles {
  return {
    read: async (key) => ((await pipeline.listReports(key)).includes(key) ? pipeline.readObject(key) : undefined),
    write: (key, text) => putObject(pipeline.s3, pipeline.bucket, key, text, 'application/json'),
  };
}
