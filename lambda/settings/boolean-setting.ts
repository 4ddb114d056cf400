// A yes/no run setting: its default, and the one reading of its env var and prop that every entry point applies.
import type { SettingResult } from './number-setting.ts';
import { SettingsError } from './settings-error.ts';

export interface BooleanSetting {
  readonly key: string;
  readonly flag?: string;
  readonly env?: string;
  readonly description: string;
  readonly default: boolean;
}

/** The text an env var holds for the value. */
export function booleanToEnvText(value: boolean): string {
  return value ? 'true' : 'false';
}

/** `true` / `false` (any case, trimmed); anything else is refused, so that a typo never flips a guard. */
export function parseBooleanSetting(setting: BooleanSetting, raw: string, label: string): SettingResult<boolean> {
  const text = raw.trim().toLowerCase();
  if (text === 'true') return { ok: true, value: true };
  if (text === 'false') return { ok: true, value: false };
  return { ok: false, problem: `${label} must be true or false (${setting.key})` };
}

/** A typed value (construct prop, local option): undefined takes the default; a non-boolean is refused. */
export function booleanOrDefault(setting: BooleanSetting, value: unknown, label: string): boolean {
  if (value === undefined) return setting.default;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const parsed = parseBooleanSetting(setting, value, label);
    if (parsed.ok) return parsed.value;
  }
  throw new SettingsError([`${label} must be true or false`]);
}

/** An environment variable: unset or blank takes the default. */
export function booleanFromEnv(
  setting: BooleanSetting & { env: string },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const raw = env[setting.env];
  if (raw === undefined || raw.trim() === '') return setting.default;
  const parsed = parseBooleanSetting(setting, raw, `environment variable ${setting.env}`);
  if (!parsed.ok) throw new SettingsError([parsed.problem]);
  return parsed.value;
}

/** From CDK context: a JSON boolean in cdk.json, or the text true/false from `-c key=value`. */
export function booleanFromText(setting: BooleanSetting, value: unknown, label: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && ['true', 'false'].includes(value.trim().toLowerCase())) {
    return value.trim().toLowerCase() === 'true';
  }
  throw new SettingsError([`${label} (${setting.key}) must be true or false, not ${JSON.stringify(value)}`]);
}
