// Applies a setting's default and its one check, throwing SettingsError: for typed values (props, options) and for env text.
import type { NumberSetting } from './number-setting.ts';
import { checkNumberSetting, parseNumberSetting } from './number-setting.ts';
import { SettingsError } from './settings-error.ts';

type Resolved<S extends NumberSetting> = S extends { default: number } ? number : number | undefined;

/** A typed value (construct prop, local option): undefined takes the default. */
export function numberOrDefault<S extends NumberSetting>(setting: S, value: unknown, label: string): Resolved<S> {
  if (value === undefined) return setting.default as Resolved<S>;
  const checked = checkNumberSetting(setting, value, label);
  if (!checked.ok) throw new SettingsError([checked.problem]);
  return checked.value as Resolved<S>;
}

/** An environment variable: unset or blank takes the default. */
export function numberFromEnv<S extends NumberSetting & { env: string }>(
  setting: S,
  env: Readonly<Record<string, string | undefined>>,
): Resolved<S> {
  const raw = env[setting.env];
  if (raw === undefined || raw.trim() === '') return setting.default as Resolved<S>;
  const parsed = parseNumberSetting(setting, raw, `environment variable ${setting.env}`);
  if (!parsed.ok) throw new SettingsError([parsed.problem]);
  return parsed.value as Resolved<S>;
}
