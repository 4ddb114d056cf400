import { describe, expect, it } from 'vitest';
import type { CliOptions, Env, ParseOutcome } from '../../lambda/cli/parse-args.ts';
import { describeHost, parseCliArgs } from '../../lambda/cli/parse-args.ts';

const CREDS = ['--client-id', 'cid', '--client-secret', 'top-secret-value'];
const ENV_CREDS: Env = { ONELOGIN_CLIENT_ID: 'env-id', ONELOGIN_CLIENT_SECRET: 'env-secret' };

function runOptions(outcome: ParseOutcome): CliOptions {
  if (outcome.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(outcome)}`);
  return outcome.options;
}

function errorsOf(outcome: ParseOutcome): string[] {
  if (outcome.kind !== 'error') throw new Error(`expected error, got ${outcome.kind}`);
  return outcome.errors;
}

describe('parseCliArgs: flags', () => {
  it('reads a full flag form', () => {
    const options = runOptions(
      parseCliArgs(
        [
          '--file',
          'users.csv',
          '--live',
          '--subdomain',
          'Acme',
          ...CREDS,
          '--report-dir',
          'out',
          '--protect',
          'admin@acme.com',
          '--protect',
          ' 42 ',
          '--protect-file',
          'p.txt',
          '--max-deletions',
          '500',
          '--max-percent',
          '12.5',
          '--yes',
          '--concurrency',
          '8',
          '--rate-share',
          '0.5',
          '--max-attempts',
          '2',
        ],
        {},
      ),
    );
    expect(options).toEqual({
      file: 'users.csv',
      mode: 'live',
      host: { subdomain: 'acme' },
      hostSource: '--subdomain',
      credentials: { clientId: 'cid', clientSecret: 'top-secret-value' },
      reportDir: 'out',
      protect: ['admin@acme.com', '42'],
      protectFiles: ['p.txt'],
      allowDirectoryUsers: false,
      action: 'delete',
      onlySuspended: false,
      maxDeletions: 500,
      maxPercent: 12.5,
      yes: true,
      concurrency: 8,
      rateShare: 0.5,
      maxAttempts: 2,
      planMaxAgeHours: 72,
      requirePlan: false,
    });
  });

  it('defaults to a dry run with a 10 % budget and no deletion cap', () => {
    const options = runOptions(parseCliArgs(['--file', 'u.csv', '--region', 'EU'], ENV_CREDS));
    expect(options.mode).toBe('dry-run');
    expect(options.maxPercent).toBe(10);
    expect(options.maxDeletions).toBeUndefined();
    expect(options.yes).toBe(false);
    expect(options.host).toEqual({ region: 'eu' });
  });

  it('accepts --dry-run explicitly', () => {
    expect(runOptions(parseCliArgs(['--file', 'u.csv', '--dry-run', '--region', 'us'], ENV_CREDS)).mode).toBe(
      'dry-run',
    );
  });

  it('refuses --dry-run together with --live', () => {
    const errors = errorsOf(parseCliArgs(['--file', 'u.csv', '--dry-run', '--live', '--region', 'us'], ENV_CREDS));
    expect(errors.join('\n')).toMatch(/--dry-run and --live/);
  });

  it('gives help and version before checking the other options (unknown options still fail)', () => {
    expect(parseCliArgs(['--help', '--bogus-value-check'], {}).kind).toBe('error');
    expect(parseCliArgs(['--help'], {}).kind).toBe('help');
    expect(parseCliArgs(['-h', '--live'], {}).kind).toBe('help');
    expect(parseCliArgs(['--version'], {}).kind).toBe('version');
  });

  it('refuses unknown options and stray arguments', () => {
    expect(errorsOf(parseCliArgs(['--fil', 'u.csv'], ENV_CREDS))).toEqual(['unknown option --fil']);
    expect(errorsOf(parseCliArgs(['--file', 'u.csv', '--region', 'us', 'other.csv'], ENV_CREDS)).join()).toMatch(
      /did you mean --file other\.csv/,
    );
  });

  it('never echoes a stray argument that may be a secret', () => {
    const errors = errorsOf(parseCliArgs(['--file', 'u.csv', '--region', 'us', '--client-id', 'x', 's3cr3tvalue'], {}));
    expect(errors.join('\n')).toMatch(/unexpected argument at position 7/);
    expect(errors.join('\n')).not.toContain('s3cr3tvalue');
  });

  it('refuses an option given twice', () => {
    expect(errorsOf(parseCliArgs(['--file', 'a.csv', '--file', 'b.csv', '--region', 'us'], ENV_CREDS)).join()).toMatch(
      /--file was given more than once/,
    );
  });

  it('refuses an option without its value', () => {
    expect(errorsOf(parseCliArgs(['--region', 'us', '--file'], ENV_CREDS)).join()).toMatch(/--file/);
  });

  it.each([
    [['--max-percent', '0'], /--max-percent/],
    [['--max-percent', '101'], /--max-percent/],
    [['--max-percent', 'ten'], /--max-percent/],
    [['--max-percent', '-5'], /--max-percent/],
    [['--max-deletions', '0'], /--max-deletions/],
    [['--max-deletions', '2.5'], /--max-deletions/],
    [['--max-deletions', '1e3'], /--max-deletions/],
    [['--concurrency', '0'], /--concurrency/],
    [['--concurrency', '1000'], /--concurrency/],
    [['--rate-share', '1.5'], /--rate-share/],
    [['--rate-share', '0'], /--rate-share/],
    [['--max-attempts', 'x'], /--max-attempts/],
    [['--protect', ' '], /--protect/],
    [['--report-dir', ''], /--report-dir/],
  ])('refuses invalid values: %j', (extra, pattern) => {
    expect(errorsOf(parseCliArgs(['--file', 'u.csv', '--region', 'us', ...extra], ENV_CREDS)).join('\n')).toMatch(
      pattern,
    );
  });

  it('accepts the edges of the budget', () => {
    const options = runOptions(
      parseCliArgs(['--file', 'u.csv', '--region', 'us', '--max-percent', '100', '--max-deletions', '1'], ENV_CREDS),
    );
    expect(options.maxPercent).toBe(100);
    expect(options.maxDeletions).toBe(1);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf(parseCliArgs(['--max-percent', '0'], {}));
    expect(errors.join('\n')).toMatch(/missing the CSV file/);
    expect(errors.join('\n')).toMatch(/missing the OneLogin host/);
    expect(errors.join('\n')).toMatch(/missing the client id/);
    expect(errors.join('\n')).toMatch(/missing the client secret/);
    expect(errors.join('\n')).toMatch(/--max-percent/);
  });
});

describe('parseCliArgs: host', () => {
  it('requires exactly one host among the flags', () => {
    expect(
      errorsOf(parseCliArgs(['--file', 'u.csv', '--region', 'us', '--subdomain', 'acme'], ENV_CREDS)).join(),
    ).toMatch(/exactly one OneLogin host, not --subdomain and --region/);
    expect(errorsOf(parseCliArgs(['--file', 'u.csv'], ENV_CREDS)).join()).toMatch(/missing the OneLogin host/);
  });

  it('takes the host from the environment when no flag gives one', () => {
    const options = runOptions(parseCliArgs(['--file', 'u.csv'], { ...ENV_CREDS, ONELOGIN_SUBDOMAIN: 'acme' }));
    expect(options.host).toEqual({ subdomain: 'acme' });
    expect(options.hostSource).toBe('ONELOGIN_SUBDOMAIN');
  });

  it('lets a flag win over the environment', () => {
    const options = runOptions(
      parseCliArgs(['--file', 'u.csv', '--api-url', 'https://custom.example.com/'], {
        ...ENV_CREDS,
        ONELOGIN_SUBDOMAIN: 'acme',
        ONELOGIN_REGION: 'us',
      }),
    );
    // Normalised by the one host resolver, as the secret's api_url is.
    expect(options.host).toEqual({ apiUrl: 'https://custom.example.com' });
  });

  it('refuses two hosts in the environment', () => {
    expect(
      errorsOf(
        parseCliArgs(['--file', 'u.csv'], {
          ...ENV_CREDS,
          ONELOGIN_SUBDOMAIN: 'acme',
          ONELOGIN_API_URL: 'https://x.example',
        }),
      ).join(),
    ).toMatch(/ONELOGIN_SUBDOMAIN and ONELOGIN_API_URL/);
  });

  it('ignores empty environment values', () => {
    const options = runOptions(
      parseCliArgs(['--file', 'u.csv'], { ...ENV_CREDS, ONELOGIN_SUBDOMAIN: '', ONELOGIN_REGION: 'us' }),
    );
    expect(options.host).toEqual({ region: 'us' });
  });

  it('accepts http only for loopback api urls', () => {
    expect(runOptions(parseCliArgs(['--file', 'u.csv', '--api-url', 'http://127.0.0.1:8080'], ENV_CREDS)).host).toEqual(
      {
        apiUrl: 'http://127.0.0.1:8080',
      },
    );
    expect(
      runOptions(parseCliArgs(['--file', 'u.csv', '--api-url', 'http://localhost:1'], ENV_CREDS)).host.apiUrl,
    ).toBe('http://localhost:1');
    expect(
      errorsOf(parseCliArgs(['--file', 'u.csv', '--api-url', 'http://acme.onelogin.com'], ENV_CREDS)).join(),
    ).toMatch(/loopback/);
    expect(
      errorsOf(parseCliArgs(['--file', 'u.csv', '--api-url', 'ftp://acme.onelogin.com'], ENV_CREDS)).join(),
    ).toMatch(/https/);
    expect(errorsOf(parseCliArgs(['--file', 'u.csv', '--api-url', 'not a url'], ENV_CREDS)).join()).toMatch(
      /not a valid/,
    );
  });

  it('refuses a subdomain that is a full host name, and a region other than us or eu', () => {
    expect(errorsOf(parseCliArgs(['--file', 'u.csv', '--subdomain', 'acme.onelogin.com'], ENV_CREDS)).join()).toMatch(
      /--api-url/,
    );
    expect(errorsOf(parseCliArgs(['--file', 'u.csv', '--region', 'ap'], ENV_CREDS)).join()).toMatch(/us or eu/);
  });

  it('names the host safely', () => {
    expect(describeHost({ subdomain: 'acme' })).toBe('acme.onelogin.com');
    expect(describeHost({ region: 'eu' })).toBe('api.eu.onelogin.com');
    expect(describeHost({ apiUrl: 'http://127.0.0.1:9000/base' })).toBe('127.0.0.1:9000');
  });
});

describe('parseCliArgs: credentials', () => {
  it('takes credentials from the environment', () => {
    expect(runOptions(parseCliArgs(['--file', 'u.csv', '--region', 'us'], ENV_CREDS)).credentials).toEqual({
      clientId: 'env-id',
      clientSecret: 'env-secret',
    });
  });

  it('lets flags win over the environment and warns about a secret on the command line', () => {
    const outcome = parseCliArgs(['--file', 'u.csv', '--region', 'us', ...CREDS], ENV_CREDS);
    expect(runOptions(outcome).credentials).toEqual({ clientId: 'cid', clientSecret: 'top-secret-value' });
    expect(outcome.kind === 'run' && outcome.warnings.join()).toMatch(/ONELOGIN_CLIENT_SECRET/);
  });

  it('does not warn when the secret comes from the environment', () => {
    const outcome = parseCliArgs(['--file', 'u.csv', '--region', 'us'], ENV_CREDS);
    expect(outcome.kind === 'run' && outcome.warnings).toEqual([]);
  });

  it('never puts the secret in a message', () => {
    const outcomes = [
      parseCliArgs(['--file', 'u.csv', '--client-secret', 'top-secret-value', 'client_secret=top-secret-value'], {}),
      parseCliArgs(['bogus=top-secret-value'], {}),
      parseCliArgs(['--region', 'us', 'top-secret-value'], {}),
    ];
    for (const outcome of outcomes) {
      expect(outcome.kind).toBe('error');
      expect(JSON.stringify(outcome)).not.toContain('top-secret-value');
    }
  });
});

describe('parseCliArgs: the old script form', () => {
  it('reads env=, file=, client_id=, client_secret= and dry_run= in any order', () => {
    const outcome = parseCliArgs(
      ['dry_run=false', 'client_secret=sec-ret-1', 'file=users.csv', 'env=eu', 'client_id=id1'],
      {},
    );
    expect(runOptions(outcome)).toMatchObject({
      file: 'users.csv',
      mode: 'live',
      host: { region: 'eu' },
      hostSource: 'env=eu',
      credentials: { clientId: 'id1', clientSecret: 'sec-ret-1' },
    });
    expect(outcome.kind === 'run' && outcome.warnings.join()).toMatch(/command line/);
  });

  it('treats dry_run=true and a missing dry_run as a dry run', () => {
    expect(runOptions(parseCliArgs(['env=us', 'file=u.csv', 'dry_run=TRUE'], ENV_CREDS)).mode).toBe('dry-run');
    expect(runOptions(parseCliArgs(['env=us', 'file=u.csv'], ENV_CREDS)).mode).toBe('dry-run');
  });

  it('refuses dry_run values other than true or false', () => {
    expect(errorsOf(parseCliArgs(['env=us', 'file=u.csv', 'dry_run=no'], ENV_CREDS)).join()).toMatch(
      /dry_run= must be true or false/,
    );
  });

  it('takes the old env=de as the EU host, with a notice that names --subdomain', () => {
    const parsed = parseCliArgs(['env=DE', 'file=u.csv'], ENV_CREDS);
    expect(runOptions(parsed)).toMatchObject({ host: { region: 'eu' }, hostSource: 'env=DE' });
    expect(parsed.kind === 'run' ? parsed.warnings.join('\n') : '').toMatch(
      /env=de: OneLogin documents no 'de' API host.*EU host api\.eu\.onelogin\.com.*--subdomain/,
    );
  });

  it('still refuses --region de: only the old form keeps its old value', () => {
    expect(errorsOf(parseCliArgs(['--region', 'de', '--file', 'u.csv'], ENV_CREDS)).join()).toMatch(
      /no API host for region 'de'.*--subdomain/,
    );
  });

  it('mixes with flags, refusing the same setting twice', () => {
    const mixed = runOptions(
      parseCliArgs(['file=u.csv', 'dry_run=false', '--api-url', 'http://127.0.0.1:1234', '--yes'], ENV_CREDS),
    );
    expect(mixed).toMatchObject({ file: 'u.csv', mode: 'live', host: { apiUrl: 'http://127.0.0.1:1234' }, yes: true });
    expect(errorsOf(parseCliArgs(['file=u.csv', '--file', 'v.csv', '--region', 'us'], ENV_CREDS)).join()).toMatch(
      /--file and file=/,
    );
    expect(errorsOf(parseCliArgs(['file=u.csv', 'env=us', '--subdomain', 'acme'], ENV_CREDS)).join()).toMatch(
      /--subdomain and env=us/,
    );
    expect(errorsOf(parseCliArgs(['file=u.csv', 'env=us', 'dry_run=true', '--live'], ENV_CREDS)).join()).toMatch(
      /--live and dry_run=true/,
    );
  });

  it('refuses unknown keys and empty values', () => {
    expect(errorsOf(parseCliArgs(['env=us', 'file=u.csv', 'region=us'], ENV_CREDS)).join()).toMatch(
      /unknown argument 'region=…'/,
    );
    expect(errorsOf(parseCliArgs(['env=us', 'file='], ENV_CREDS)).join()).toMatch(/file= needs a value/);
  });

  it('lets the environment fill in what the old form leaves out', () => {
    expect(runOptions(parseCliArgs(['file=u.csv'], { ...ENV_CREDS, ONELOGIN_REGION: 'us' })).host).toEqual({
      region: 'us',
    });
  });
});
