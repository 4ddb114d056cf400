// A restored user's roles come back after its create, one POST /api/2/roles/:id/users per role for a whole batch. A
// role call that fails leaves its users `failed` / `roles-not-assigned`: the user exists (never create it again), the
// message names its new id and the roles to assign by hand.
import { DirectoryCallError } from '../directory-errors.ts';
import type { StepContext } from '../step-context.ts';
import type { RowSettlement } from '../stored-row.ts';
import { ROLES_NOT_ASSIGNED } from './retry-lines.ts';

/** By line: the restored user's new id, the roles it had, and its old id (for the message). */
export type PendingRoles = Map<number, { userId: number; roles: readonly number[]; oldId: number }>;

export async function assignRoles(
  ctx: StepContext,
  settled: readonly RowSettlement[],
  pending: PendingRoles,
): Promise<RowSettlement[]> {
  const usersByRole = new Map<number, { line: number; userId: number }[]>();
  for (const settlement of settled) {
    const entry = pending.get(settlement.line);
    if (settlement.outcome !== 'restored' || entry === undefined) continue;
    for (const roleId of new Set(entry.roles)) {
      const users = usersByRole.get(roleId) ?? [];
      users.push({ line: settlement.line, userId: entry.userId });
      usersByRole.set(roleId, users);
    }
  }
  const missing = new Map<number, { roles: number[]; reason: string; message: string }>();
  for (const [roleId, users] of usersByRole) {
    try {
      await ctx.deps.directory.addRoleUsers(
        roleId,
        users.map((user) => user.userId),
      );
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      for (const { line } of users) {
        const failure = missing.get(line) ?? { roles: [], reason: error.reason, message: error.message };
        failure.roles.push(roleId);
        missing.set(line, failure);
      }
    }
  }
  return settled.map((settlement) => withMissingRoles(settlement, missing.get(settlement.line), pending));
}

function withMissingRoles(
  settlement: RowSettlement,
  failure: { roles: number[]; reason: string; message: string } | undefined,
  pending: PendingRoles,
): RowSettlement {
  const entry = pending.get(settlement.line);
  if (failure === undefined || entry === undefined) return settlement;
  const message =
    `created again as new id ${entry.userId} (old id ${entry.oldId}), but roles ${failure.roles.join(', ')} could not ` +
    `be assigned (${failure.reason}: ${failure.message.slice(0, 120)}); assign them by hand — the user exists, do not restore this line again`;
  return { ...settlement, outcome: 'failed', reason: ROLES_NOT_ASSIGNED, message };
}
