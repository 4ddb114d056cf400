// A restore's retry file is itself a snapshot (retry.jsonl): the lines that failed, exactly as read, ready to upload
// again under restore/. A line whose user was created but whose roles were not assigned is left out: the user exists,
// so a retry could only find it present; its message says which roles to assign by hand.

import { finalRow } from '../final-row.ts';
import { jobEnding } from '../final-rows.ts';
import type { StepContext } from '../step-context.ts';
import { readChunks } from '../stored-row.ts';

export const ROLES_NOT_ASSIGNED = 'roles-not-assigned';

export function retryLinesKey(reportPrefix: string): string {
  return `${reportPrefix}retry.jsonl`;
}

export async function writeRetryLines(ctx: StepContext, key: string): Promise<void> {
  const ending = jobEnding(ctx);
  async function* body(): AsyncGenerator<string> {
    for await (const { rows } of readChunks(ctx.store, ctx.spec.statePrefix, 0, ctx.checkpoint.chunkCount)) {
      const lines: string[] = [];
      for (const row of rows) {
        const final = finalRow(row, ending);
        if (final.outcome !== 'failed' || final.reason === ROLES_NOT_ASSIGNED || row.snapshot === undefined) continue;
        lines.push(`${JSON.stringify(row.snapshot)}\n`);
      }
      if (lines.length > 0) yield lines.join('');
    }
  }
  await ctx.store.put(key, body(), 'application/x-ndjson; charset=utf-8');
}
