// One definition per run setting: the CLI flag, the handlers' env var, the construct's prop and the local pipeline's
// option accept and refuse exactly the same values (issue 9). The expectations are written out here, not derived.
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../lambda/cli/parse-args.ts';
import { stepOptionsFromEnv } from '../../lambda/handlers/handler-options.ts';
import type { LocalPipelineOptions } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import type { NumberSetting } from '../../lambda/settings/number-setting.ts';
import {
  ACCOUNT_ID,
  CONCURRENCY,
  MAX_ATTEMPTS,
  MAX_DELETIONS,
  MAX_PERCENT,
  NUMBER_SETTINGS,
  RATE_SHARE,
  SAFETY_MARGIN_MS,
} from '../../lambda/settings/run-settings.ts';
import type { OneLoginBulkDeleteProps } from '../../lib/onelogin-bulk-delete.ts';
import { resolveSettings } from '../../lib/onelogin-bulk-delete.ts';

interface SettingCases {
  setting: NumberSetting;
  accepted: number[];
  refused: number[];
}

const CASES: SettingCases[] = [
  { setting: MAX_PERCENT, accepted: [0.5, 10, 100], refused: [0, -1, 100.5, 101] },
  { setting: MAX_DELETIONS, accepted: [1, 500, Number.MAX_SAFE_INTEGER], refused: [0, -3, 2.5] },
  { setting: RATE_SHARE, accepted: [0.001, 0.8, 1], refused: [0, -0.5, 1.5] },
  { setting: CONCURRENCY, accepted: [1, 4, 64], refused: [0, 65, 2.5] },
  { setting: MAX_ATTEMPTS, accepted: [1, 6, 20], refused: [0, 21, 1.5] },
  { setting: SAFETY_MARGIN_MS, accepted: [1_000, 60_000, 600_000], refused: [999, 600_001, 1_500.5] },
  { setting: ACCOUNT_ID, accepted: [1, 189185], refused: [0, -5, 1.5] },
];

const CLI_BASE = ['--file', 'u.csv', '--region', 'us'];
const CLI_ENV = { ONELOGIN_CLIENT_ID: 'id', ONELOGIN_CLIENT_SECRET: 'secret' };

/** The construct's prop for each setting it exposes; a margin is a Duration there, checked against a 15-minute step. */
const CONSTRUCT_PROPS: Record<string, (value: number) => OneLoginBulkDeleteProps> = {
  maxPercent: (maxPercent) => ({ maxPercent }),
  maxDeletions: (maxDeletions) => ({ maxDeletions }),
  rateShare: (rateShare) => ({ rateShare }),
  concurrency: (concurrency) => ({ concurrency }),
  safetyMarginMs: (ms) => ({ stepSafetyMargin: Duration.millis(ms), stepTimeout: Duration.minutes(15) }),
};

interface EntryPoint {
  /** How the entry point names the setting in its error messages. */
  nameOf(setting: NumberSetting): string | undefined;
  /** The value the entry point ended up with; throws when it refuses the value. */
  read(setting: NumberSetting, value: number): unknown;
}

const ENTRY_POINTS: Record<string, EntryPoint> = {
  'CLI flag': {
    nameOf: (setting) => setting.flag,
    read(setting, value) {
      const outcome = parseCliArgs([...CLI_BASE, String(setting.flag), String(value)], CLI_ENV);
      if (outcome.kind !== 'run') throw new Error(outcome.kind === 'error' ? outcome.errors.join('; ') : outcome.kind);
      return (outcome.options as unknown as Record<string, unknown>)[setting.key];
    },
  },
  'handler env': {
    nameOf: (setting) => setting.env,
    // The construct writes String(value); the handler must read back the same number.
    read: (setting, value) =>
      (stepOptionsFromEnv({ [String(setting.env)]: String(value) }) as unknown as Record<string, unknown>)[setting.key],
  },
  'construct props': {
    nameOf: (setting) =>
      CONSTRUCT_PROPS[setting.key] === undefined
        ? undefined
        : setting.key === 'safetyMarginMs'
          ? 'stepSafetyMargin'
          : setting.key,
    read(setting, value) {
      const settings = resolveSettings(CONSTRUCT_PROPS[setting.key]?.(value) ?? {}) as unknown as Record<
        string,
        unknown
      >;
      return setting.key === 'safetyMarginMs'
        ? (settings.stepSafetyMargin as Duration).toMilliseconds()
        : settings[setting.key];
    },
  },
};

describe('the one definition of each run setting', () => {
  it('covers every numeric setting', () => {
    expect(CASES.map((entry) => entry.setting.key).sort()).toEqual(NUMBER_SETTINGS.map((s) => s.key).sort());
  });

  for (const { setting, accepted, refused } of CASES) {
    for (const [entry, { nameOf, read }] of Object.entries(ENTRY_POINTS)) {
      const name = nameOf(setting);
      if (name === undefined) continue;
      it.each(accepted)(`${entry} accepts ${setting.key} = %s`, (value) => {
        expect(read(setting, value)).toBe(value);
      });
      it.each(refused)(`${entry} refuses ${setting.key} = %s, naming ${name}`, (value) => {
        expect(() => read(setting, value)).toThrow(name);
      });
    }
  }

  it('every entry point exposes the settings it is meant to', () => {
    const exposed = (entry: string) =>
      CASES.filter(({ setting }) => ENTRY_POINTS[entry]?.nameOf(setting) !== undefined).map(
        ({ setting }) => setting.key,
      );
    expect(exposed('CLI flag')).toEqual([
      'maxPercent',
      'maxDeletions',
      'rateShare',
      'concurrency',
      'maxAttempts',
      'expectedAccountId',
    ]);
    expect(exposed('handler env')).toEqual([
      'maxPercent',
      'maxDeletions',
      'rateShare',
      'concurrency',
      'safetyMarginMs',
    ]);
    expect(exposed('construct props')).toEqual([
      'maxPercent',
      'maxDeletions',
      'rateShare',
      'concurrency',
      'safetyMarginMs',
    ]);
  });

  it('the handler refuses MAX_PERCENT=0 with a clear error, as the CLI and the construct do', () => {
    expect(() => stepOptionsFromEnv({ MAX_PERCENT: '0' })).toThrow(
      "environment variable MAX_PERCENT must be a number greater than 0 and at most 100, not '0'",
    );
    expect(parseCliArgs([...CLI_BASE, '--max-percent', '0'], CLI_ENV)).toMatchObject({
      kind: 'error',
      errors: ["--max-percent must be a number greater than 0 and at most 100, not '0'"],
    });
    expect(() => resolveSettings({ maxPercent: 0 })).toThrow(
      'maxPercent must be a number greater than 0 and at most 100',
    );
  });

  it.each(['1e3', '0x10', '12abc', 'ten', '-1', ''])(
    'a count given as text %j is refused by the flag and the env var alike',
    (text) => {
      expect(parseCliArgs([...CLI_BASE, '--max-deletions', text], CLI_ENV).kind).toBe('error');
      if (text !== '') expect(() => stepOptionsFromEnv({ MAX_DELETIONS: text })).toThrow('MAX_DELETIONS');
    },
  );

  it('the defaults are the same everywhere', () => {
    const cli = parseCliArgs(CLI_BASE, CLI_ENV);
    expect(cli.kind === 'run' && cli.options.maxPercent).toBe(10);
    expect(stepOptionsFromEnv({})).toMatchObject({
      maxPercent: 10,
      rateShare: 0.8,
      concurrency: 4,
      safetyMarginMs: 60_000,
    });
    expect(resolveSettings({})).toMatchObject({ maxPercent: 10, rateShare: 0.8, maxDeletions: undefined });
    expect(resolveSettings({}).stepSafetyMargin.toMilliseconds()).toBe(60_000);
  });
});

describe('the local pipeline checks its options before it starts anything', () => {
  it.each<[LocalPipelineOptions, RegExp]>([
    [{ maxPercent: 0 }, /maxPercent must be a number greater than 0/],
    [{ maxDeletions: 0 }, /maxDeletions must be a positive whole number/],
    [{ rateShare: 1.5 }, /rateShare/],
    [{ concurrency: 65 }, /concurrency must be a whole number from 1 to 64/],
    [{ safetyMarginMs: 10 }, /safetyMarginMs/],
  ])('%o', async (options, message) => {
    await expect(startLocalPipeline({ ...options, port: 1 })).rejects.toThrow(message);
  });
});
