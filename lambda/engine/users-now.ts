// The users as the directory has them now, by id (batched `user_ids` lookups): what a stopped job checks to settle the
// changes it had in flight. Undefined when the directory cannot tell (the caller then says "may have been changed").
import type { ResolvedUser } from './outcomes.ts';
import type { StepContext } from './step-context.ts';

export async function usersNow(
  ctx: StepContext,
  ids: readonly number[],
  what: string,
): Promise<Map<number, ResolvedUser> | undefined> {
  const found = new Map<number, ResolvedUser>();
  const size = Math.max(1, ctx.deps.directory.idBatchSize);
  try {
    for (let i = 0; i < ids.length; i += size) {
      for (const user of await ctx.deps.directory.getUsersByIds(ids.slice(i, i + size))) found.set(user.id, user);
    }
  } catch (error) {
    ctx.deps.logger.warn(`could not check ${what} in flight when the job stopped`, { error: (error as Error).name });
    return undefined;
  }
  return found;
}
