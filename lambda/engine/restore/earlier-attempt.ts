// After a create whose answer was lost, its retry is refused (the username or email is taken): the user found by the
// line's email (else username) is the earlier attempt's only when it matches every identifier the line gives — a user
// who only shares one of them is someone else's, and is never given the line's roles.
import { sameText } from '../identifier-text.ts';
import type { ResolvedUser } from '../outcomes.ts';
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import type { StepContext } from '../step-context.ts';

function textOf(snapshot: SnapshotLine, field: 'email' | 'username'): string | undefined {
  const value = snapshot.user[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export async function earlierAttemptUser(ctx: StepContext, snapshot: SnapshotLine): Promise<ResolvedUser | undefined> {
  const email = textOf(snapshot, 'email');
  const username = textOf(snapshot, 'username');
  const field = email !== undefined ? 'email' : 'username';
  const value = (email ?? username) as string;
  const candidates = await ctx.deps.directory.findUsers(field, value);
  const same = candidates.filter(
    (user) =>
      (email === undefined || sameText(user.email, email)) &&
      (username === undefined || sameText(user.username, username)),
  );
  return same.length === 1 ? same[0] : undefined;
}
