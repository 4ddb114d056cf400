// What the plan says of one snapshot line (docs/restore.md): planned (would-restore in a dry run), or why not.
import { quoteForMessage } from '../input/message-text.ts';
import type { Mode, Outcome, ResolvedUser } from '../outcomes.ts';
import type { AccountRef } from '../plan/plan-document.ts';
import type { ProtectRules } from '../protect-rules.ts';
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import { describeAccount, lineElsewhere } from './line-account.ts';
import { userOfRecord } from './record-user.ts';
import type { SliceLookups } from './restore-lookups.ts';

export interface LinePlan {
  planned?: true;
  user?: ResolvedUser;
  outcome?: Outcome;
  reason?: string;
  message?: string;
}

export interface LineRules {
  account: AccountRef;
  protect: ProtectRules;
  lookups: SliceLookups;
  mode: Mode;
}

export function planLine(snapshot: SnapshotLine, rules: LineRules): LinePlan {
  const before = userOfRecord(snapshot.user);
  if (lineElsewhere(snapshot.account, rules.account)) {
    const message = `the snapshot line was taken in ${describeAccount(snapshot.account)}; the credentials reach ${describeAccount(rules.account)}`;
    return { outcome: 'rejected', reason: 'wrong-account', message, user: before };
  }
  const protectedBy = rules.protect.match(before);
  if (protectedBy) {
    const message = `the user's ${protectedBy.field} is protected (by ${quoteForMessage(protectedBy.value.text)})`;
    return { outcome: 'rejected', reason: 'protected', message, user: before };
  }
  return snapshot.action === 'delete' ? planCreate(snapshot, before, rules) : planStatus(snapshot, rules);
}

/** A deleted user comes back only when no user has its username or email now. */
function planCreate(snapshot: SnapshotLine, before: ResolvedUser, rules: LineRules): LinePlan {
  const present = rules.lookups.present(snapshot);
  if (present !== undefined && 'failed' in present) return { outcome: 'failed', ...present.failed, user: before };
  if (present !== undefined) {
    const message = `a user with this ${present.field} exists now (id ${present.user.id}): nothing to create`;
    return { outcome: 'already-present', message, user: present.user };
  }
  return planned(
    rules.mode,
    before,
    `would be created again, as a new user (its old id ${snapshot.user.id} cannot come back)`,
  );
}

/** A suspended user gets its previous status back, unless it is gone or already has it. */
function planStatus(snapshot: SnapshotLine, rules: LineRules): LinePlan {
  const before = userOfRecord(snapshot.user);
  const current = rules.lookups.current(snapshot);
  if (current !== undefined && 'failed' in current) return { outcome: 'failed', ...current.failed, user: before };
  if (current === undefined)
    return {
      outcome: 'not-found',
      message: 'the user was deleted since the snapshot: its status cannot be given back',
      user: before,
    };
  const previous = snapshot.previousStatus as number;
  if (current.status === previous)
    return {
      outcome: 'already-present',
      message: `the user already has its previous status (${previous})`,
      user: current,
    };
  return planned(
    rules.mode,
    current,
    `would get its previous status back (${String(current.status ?? 'unknown')} → ${previous})`,
  );
}

function planned(mode: Mode, user: ResolvedUser, dryRunMessage: string): LinePlan {
  if (mode === 'dry-run') return { planned: true, user, outcome: 'would-restore', message: dryRunMessage };
  return { planned: true, user };
}
