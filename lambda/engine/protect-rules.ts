// Protected users: values read like row values, refused when they cannot be identifiers (docs/outcomes.md, "Protect").
import { textKey, trimValue } from './identifier-text.ts';
import type { IdentifierColumn } from './input/input-types.ts';
import { quoteForMessage } from './input/message-text.ts';
import { CONTROL_CHARACTER, emailProblem, parseUserId } from './input/validate-row.ts';
import type { ResolvedUser } from './outcomes.ts';

/** One protect value. `field` is known when it came from a CSV column; otherwise it protects any identifier it can be. */
export interface ProtectValue {
  /** As given (trimmed), for messages and the report. */
  text: string;
  field?: IdentifierColumn;
  id?: number;
  key?: string;
}

export type ProtectedField = 'id' | 'username' | 'email';

/** A protect value as given: a bare value, or one from a CSV column naming its field. */
export type ProtectInput = string | { value: string; field?: IdentifierColumn };

/** Thrown when a protect value cannot be an identifier: the run is refused as a whole before any call. */
export class ProtectValueError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`protect values refused: ${problems.join('; ')}`);
    this.name = 'ProtectValueError';
  }
}

const SEPARATOR = /[,;\t]/;
const DIGITS = /^[0-9]+$/;

/** Why a value cannot be a protect value, or the value read. */
export function readProtectValue(raw: string, field?: IdentifierColumn): ProtectValue | string {
  const text = trimValue(raw);
  const shown = quoteForMessage(text);
  if (text.includes('*') || text.startsWith('!')) return `${shown} is a wildcard: name one user exactly`;
  if (SEPARATOR.test(text))
    return `${shown} holds a separator: give one value at a time, or a --protect-file with a header line`;
  if (CONTROL_CHARACTER.test(text)) return `${shown} contains control characters`;
  if (field === 'id' || (field === undefined && DIGITS.test(text))) {
    const id = parseUserId(text);
    if (typeof id === 'string') return `id ${shown} ${id}`;
    // A digits-only value may also be someone's username: it protects both.
    return field === 'id' ? { text, field, id } : { text, id, key: textKey(text) };
  }
  if (field === 'email' || (field === undefined && text.includes('@'))) {
    const problem = emailProblem(text);
    if (problem !== undefined) return `email ${shown} ${problem}`;
  }
  return field === undefined ? { text, key: textKey(text) } : { text, field, key: textKey(text) };
}

/** The protect values read from raw strings (empty ones skipped); throws ProtectValueError listing every bad one. */
export function readProtectValues(raw: readonly ProtectInput[]): ProtectRules {
  const values: ProtectValue[] = [];
  const problems: string[] = [];
  for (const item of raw) {
    const { value, field } = typeof item === 'string' ? { value: item, field: undefined } : item;
    if (trimValue(value) === '') continue;
    const read = readProtectValue(value, field);
    if (typeof read === 'string') problems.push(read);
    else values.push(read);
  }
  if (problems.length > 0) throw new ProtectValueError(problems);
  return new ProtectRules(values);
}

export class ProtectRules {
  private readonly ids = new Map<number, ProtectValue>();
  private readonly usernames = new Map<string, ProtectValue>();
  private readonly emails = new Map<string, ProtectValue>();

  constructor(readonly values: readonly ProtectValue[]) {
    for (const value of values) {
      if (value.id !== undefined) this.ids.set(value.id, value);
      if (value.key === undefined) continue;
      if (value.field !== 'email') this.usernames.set(value.key, value);
      if (value.field !== 'username') this.emails.set(value.key, value);
    }
  }

  get size(): number {
    return this.values.length;
  }

  /** Which of the user's identifiers is protected, and by which value; undefined when none is. */
  match(user: ResolvedUser): { field: ProtectedField; value: ProtectValue } | undefined {
    const byId = this.ids.get(user.id);
    if (byId) return { field: 'id', value: byId };
    const byUsername = user.username === null ? undefined : this.usernames.get(textKey(user.username));
    if (byUsername) return { field: 'username', value: byUsername };
    const byEmail = user.email === null ? undefined : this.emails.get(textKey(user.email));
    if (byEmail) return { field: 'email', value: byEmail };
    return undefined;
  }
}
