// The run settings given as flags (--max-percent, --concurrency, …), each checked by its one definition in lambda/settings.
import type { NumberSetting } from '../settings/number-setting.ts';
import { parseNumberSetting } from '../settings/number-setting.ts';
import { CONCURRENCY, MAX_ATTEMPTS, MAX_DELETIONS, MAX_PERCENT, RATE_SHARE } from '../settings/run-settings.ts';
import type { OptionValues } from './cli-option-spec.ts';

export interface CliRunSettings {
  maxDeletions?: number;
  maxPercent: number;
  /** Absent: the client's default (the same definitions). */
  concurrency?: number;
  rateShare?: number;
  maxAttempts?: number;
}

export function readRunSettings(values: OptionValues, errors: string[]): CliRunSettings {
  const flag = (setting: NumberSetting & { flag: string }, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const parsed = parseNumberSetting(setting, raw, setting.flag);
    if (parsed.ok) return parsed.value;
    errors.push(parsed.problem);
    return undefined;
  };
  const maxDeletions = flag(MAX_DELETIONS, values['max-deletions']);
  const maxPercent = flag(MAX_PERCENT, values['max-percent']) ?? MAX_PERCENT.default;
  const concurrency = flag(CONCURRENCY, values.concurrency);
  const maxAttempts = flag(MAX_ATTEMPTS, values['max-attempts']);
  const rateShare = flag(RATE_SHARE, values['rate-share']);
  return {
    ...(maxDeletions !== undefined ? { maxDeletions } : {}),
    maxPercent,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(rateShare !== undefined ? { rateShare } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  };
}
