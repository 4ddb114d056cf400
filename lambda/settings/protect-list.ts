// The protect setting: values that must never be deleted, and how they travel through an env var (comma-separated).
import { ProtectValueError, readProtectValues } from '../engine/protect-rules.ts';
import type { SettingResult } from './number-setting.ts';

/** Trimmed, blanks dropped: `-c protectedUsers=a,,b` and `PROTECTED_USERS=' a, b ,'` mean a and b. */
export function normalizeProtectList(values: readonly string[]): string[] {
  return values.map((value) => value.trim()).filter((value) => value !== '');
}

export function protectFromEnvText(text: string | undefined): string[] {
  return normalizeProtectList((text ?? '').split(','));
}

/** Every protect value that cannot be an identifier (a wildcard, a separator, an invalid id or email), described. */
export function protectProblems(values: readonly string[]): string[] {
  try {
    readProtectValues(values);
    return [];
  } catch (error) {
    if (!(error instanceof ProtectValueError)) throw error;
    return [...error.problems];
  }
}

/** The env var's text; a value that cannot be an identifier (or holds a comma, the env var's separator) is refused. */
export function protectToEnvText(values: readonly string[], label: string): SettingResult<string> {
  const normalized = normalizeProtectList(values);
  if (normalized.some((value) => value.includes(','))) {
    return { ok: false, problem: `${label} values must not contain commas (they are passed comma-separated)` };
  }
  const problems = protectProblems(normalized);
  if (problems.length > 0) return { ok: false, problem: `${label}: ${problems.join('; ')}` };
  return { ok: true, value: normalized.join(',') };
}
