// The reviewed-plan flags as parse-args reads them (docs/cli.md, docs/plans.md).
import { describe, expect, it } from 'vitest';
import type { ParseOutcome } from '../../lambda/cli/parse-args.ts';
import { parseCliArgs } from '../../lambda/cli/parse-args.ts';

const ENV = { ONELOGIN_CLIENT_ID: 'cid', ONELOGIN_CLIENT_SECRET: 'secret' };
const BASE = ['--file', 'u.csv', '--region', 'us'];

function errorsOf(outcome: ParseOutcome): string[] {
  return outcome.kind === 'error' ? outcome.errors : [];
}

describe('the reviewed-plan flags', () => {
  it('--live --plan FILE with --plan-max-age and --account-id', () => {
    const outcome = parseCliArgs(
      [...BASE, '--live', '--plan', 'r/plan.json', '--plan-max-age', '12.5', '--account-id', '189185'],
      ENV,
    );
    expect(outcome).toMatchObject({
      kind: 'run',
      options: { planFile: 'r/plan.json', planMaxAgeHours: 12.5, expectedAccountId: 189185, requirePlan: false },
    });
  });

  it('--plan is refused without --live, naming --live', () => {
    expect(errorsOf(parseCliArgs([...BASE, '--plan', 'plan.json'], ENV)).join(' ')).toContain('--live');
  });

  it('--require-plan refuses --live without --plan, naming --plan; a dry run is let through', () => {
    expect(errorsOf(parseCliArgs([...BASE, '--live', '--require-plan'], ENV)).join(' ')).toContain('--plan FILE');
    expect(errorsOf(parseCliArgs([...BASE, '--live'], { ...ENV, ONELOGIN_REQUIRE_PLAN: 'true' }))).toHaveLength(1);
    expect(parseCliArgs([...BASE, '--require-plan'], ENV).kind).toBe('run');
    expect(parseCliArgs([...BASE, '--live', '--require-plan', '--plan', 'p.json'], ENV).kind).toBe('run');
  });

  it('reads the account id from ONELOGIN_ACCOUNT_ID, the flag first, and refuses one that is not a positive integer', () => {
    const fromEnv = parseCliArgs(BASE, { ...ENV, ONELOGIN_ACCOUNT_ID: '42' });
    expect(fromEnv.kind === 'run' && fromEnv.options.expectedAccountId).toBe(42);
    const fromFlag = parseCliArgs([...BASE, '--account-id', '7'], { ...ENV, ONELOGIN_ACCOUNT_ID: '42' });
    expect(fromFlag.kind === 'run' && fromFlag.options.expectedAccountId).toBe(7);
    expect(errorsOf(parseCliArgs([...BASE, '--account-id', '0x1f'], ENV))).toEqual([
      "--account-id must be a positive whole number, not '0x1f'",
    ]);
    expect(errorsOf(parseCliArgs(BASE, { ...ENV, ONELOGIN_ACCOUNT_ID: 'acme' }))[0]).toContain('ONELOGIN_ACCOUNT_ID');
  });

  it('refuses a plan age that is not a positive number of hours', () => {
    expect(errorsOf(parseCliArgs([...BASE, '--plan-max-age', '0'], ENV))[0]).toContain('--plan-max-age');
    expect(errorsOf(parseCliArgs([...BASE, '--plan-max-age', '1e9'], ENV))[0]).toContain('--plan-max-age');
  });
});
