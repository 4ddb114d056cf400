// One numeric run setting: its bounds, and the one check that every entry point (flag, env var, prop) applies.

export interface NumberSetting {
  /** The name in typed options and construct props, e.g. `maxPercent`. */
  readonly key: string;
  /** The CLI flag, when the CLI exposes the setting. */
  readonly flag?: string;
  /** The environment variable the stack sets on its functions, when the handlers read the setting. */
  readonly env?: string;
  readonly description: string;
  /** Absent: the setting is off unless given (e.g. no count budget). */
  readonly default?: number;
  readonly integer: boolean;
  readonly min: number;
  /** The lower bound itself is refused (0 < P). */
  readonly minExclusive?: boolean;
  readonly max: number;
}

export type SettingResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** What an acceptable value is, in words, for error messages and --help. */
export function requirementOf(setting: NumberSetting): string {
  if (setting.integer) {
    return setting.max === Number.MAX_SAFE_INTEGER && setting.min === 1
      ? 'a positive whole number'
      : `a whole number from ${setting.min} to ${setting.max}`;
  }
  return setting.minExclusive
    ? `a number greater than ${setting.min} and at most ${setting.max}`
    : `a number from ${setting.min} to ${setting.max}`;
}

/** The typed check (construct props, local options): `label` names the setting as the caller's user knows it. */
export function checkNumberSetting(setting: NumberSetting, value: unknown, label: string): SettingResult<number> {
  if (typeof value !== 'number' || !withinBounds(setting, value)) {
    return { ok: false, problem: `${label} must be ${requirementOf(setting)}, not ${String(value)}` };
  }
  return { ok: true, value };
}

/** The text check (CLI flags, env vars): plain digits only, so `1e3`, `0x10` or `12abc` never pass as numbers. */
export function parseNumberSetting(setting: NumberSetting, text: string, label: string): SettingResult<number> {
  const trimmed = text.trim();
  const pattern = setting.integer ? INTEGER_TEXT : DECIMAL_TEXT;
  const value = Number(trimmed);
  if (!pattern.test(trimmed) || !withinBounds(setting, value)) {
    return { ok: false, problem: `${label} must be ${requirementOf(setting)}, not '${text}'` };
  }
  return { ok: true, value };
}

const INTEGER_TEXT = /^\d+$/;
// An exponent is accepted because String(number) writes small shares that way (1e-7): what the construct writes, the handler reads.
const DECIMAL_TEXT = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

function withinBounds(setting: NumberSetting, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (setting.integer && !Number.isSafeInteger(value)) return false;
  const aboveMin = setting.minExclusive ? value > setting.min : value >= setting.min;
  return aboveMin && value <= setting.max;
}
