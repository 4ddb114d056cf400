// The protect setting: values that must never be deleted, and how they travel through an env var (comma-separated).
import type { SettingResult } from './number-setting.ts';

/** Trimmed, blanks dropped: `-c protectedUsers=a,,b` and `PROTECTED_USERS=' a, b ,'` mean a and b. */
export function normalizeProtectList(values: readonly string[]): string[] {
  return values.map((value) => value.trim()).filter((value) => value !== '');
}

export function protectFromEnvText(text: string | undefined): string[] {
  return normalizeProtectList((text ?? '').split(','));
}

/** The env var's text; a value holding a comma cannot travel that way and is refused. */
export function protectToEnvText(values: readonly string[], label: string): SettingResult<string> {
  const normalized = normalizeProtectList(values);
  if (normalized.some((value) => value.includes(','))) {
    return { ok: false, problem: `${label} values must not contain commas (they are passed comma-separated)` };
  }
  return { ok: true, value: normalized.join(',') };
}
