// A run setting that takes one of a few words (e.g. `--snapshot full|basic`): its default and the one reading that
// every entry point (flag, env var, construct prop, context) applies.
import type { SettingResult } from './number-setting.ts';
import { SettingsError } from './settings-error.ts';

export interface ChoiceSetting<T extends string> {
  readonly key: string;
  readonly flag?: string;
  readonly env?: string;
  readonly description: string;
  readonly choices: readonly T[];
  readonly default: T;
}

/** Exactly one of the choices (trimmed, any case); anything else is refused, never taken as the default. */
export function parseChoiceSetting<T extends string>(
  setting: ChoiceSetting<T>,
  raw: string,
  label: string,
): SettingResult<T> {
  const text = raw.trim().toLowerCase();
  const found = setting.choices.find((choice) => choice === text);
  if (found !== undefined) return { ok: true, value: found };
  return { ok: false, problem: `${label} must be ${setting.choices.join(' or ')}, not '${raw}'` };
}

/** A typed value (construct prop, local option, context): undefined or '' takes the default. */
export function choiceOrDefault<T extends string>(setting: ChoiceSetting<T>, value: unknown, label: string): T {
  if (value === undefined || value === null || value === '') return setting.default;
  if (typeof value === 'string') {
    const parsed = parseChoiceSetting(setting, value, label);
    if (parsed.ok) return parsed.value;
    throw new SettingsError([parsed.problem]);
  }
  throw new SettingsError([`${label} must be ${setting.choices.join(' or ')}, not ${JSON.stringify(value)}`]);
}

/** An environment variable: unset or blank takes the default. */
export function choiceFromEnv<T extends string>(
  setting: ChoiceSetting<T> & { env: string },
  env: Readonly<Record<string, string | undefined>>,
): T {
  const raw = env[setting.env];
  if (raw === undefined || raw.trim() === '') return setting.default;
  const parsed = parseChoiceSetting(setting, raw, `environment variable ${setting.env}`);
  if (!parsed.ok) throw new SettingsError([parsed.problem]);
  return parsed.value;
}
