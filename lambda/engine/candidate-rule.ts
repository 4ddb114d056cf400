// The candidate rule (contract, docs/outcomes.md): which single user a row means, or why it means none.
import { sameText } from './identifier-text.ts';
import type { IdentifierMatches, ResolvedUser } from './outcomes.ts';
import type { LookupKey } from './stored-row.ts';

export type PrimaryField = 'id' | 'email' | 'username';

export type Resolution =
  | { kind: 'match'; user: ResolvedUser }
  | { kind: 'not-found'; message: string }
  | { kind: 'rejected'; reason: 'ambiguous'; message: string; candidates: number[] }
  | { kind: 'rejected'; reason: 'identifier-mismatch'; message: string; matches: IdentifierMatches };

export function primaryField(key: LookupKey): PrimaryField | undefined {
  if (key.id !== undefined) return 'id';
  if (key.email !== undefined) return 'email';
  if (key.username !== undefined) return 'username';
  return undefined;
}

export function givenFields(key: LookupKey): PrimaryField[] {
  const fields: PrimaryField[] = [];
  if (key.id !== undefined) fields.push('id');
  if (key.email !== undefined) fields.push('email');
  if (key.username !== undefined) fields.push('username');
  return fields;
}

export function matchesField(user: ResolvedUser, key: LookupKey, field: PrimaryField): boolean {
  if (field === 'id') return user.id === key.id;
  return sameText(user[field], key[field]);
}

/**
 * candidates: what the lookup of the primary identifier returned (a server may widen a search, so each is re-checked).
 * 0 users with the primary value → not-found; some, but none matching every given identifier → identifier-mismatch;
 * more than one matching everything → ambiguous; exactly one → match.
 */
export function resolveCandidates(key: LookupKey, candidates: readonly ResolvedUser[]): Resolution {
  const primary = primaryField(key);
  if (!primary) return { kind: 'not-found', message: 'the row gives no identifier' };
  const byPrimary = dedupeById(candidates.filter((user) => matchesField(user, key, primary)));
  if (byPrimary.length === 0) return { kind: 'not-found', message: `no user has this ${primary}` };
  const fields = givenFields(key);
  const matching = byPrimary.filter((user) => fields.every((field) => matchesField(user, key, field)));
  if (matching.length === 0) {
    const others = fields.filter((field) => field !== primary);
    return {
      kind: 'rejected',
      reason: 'identifier-mismatch',
      message: `the user found by ${primary} does not have the row's ${others.join(' and ')}`,
      // The other identifiers' users are not known from this lookup: the resolve phase looks them up (mismatch-matches.ts).
      matches: { [primary]: byPrimary.map((user) => user.id) },
    };
  }
  if (matching.length > 1) {
    return {
      kind: 'rejected',
      reason: 'ambiguous',
      message: `${matching.length} users match every identifier of the row`,
      candidates: matching.map((user) => user.id),
    };
  }
  const [user] = matching;
  return user ? { kind: 'match', user } : { kind: 'not-found', message: `no user has this ${primary}` };
}

function dedupeById(users: ResolvedUser[]): ResolvedUser[] {
  const seen = new Set<number>();
  return users.filter((user) => {
    if (seen.has(user.id)) return false;
    seen.add(user.id);
    return true;
  });
}
