import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJobInput } from '../../lambda/handlers/job-input.ts';
import {
  decodeS3Key,
  encodeS3Key,
  jobIdFor,
  modeOfKey,
  reportPrefixFor,
  statePrefixFor,
} from '../../lambda/handlers/job-naming.ts';

describe('decodeS3Key', () => {
  it.each([
    ['dry-run/users.csv', 'dry-run/users.csv'],
    ['dry-run/my+file.csv', 'dry-run/my file.csv'],
    ['dry-run/a%2Bb.csv', 'dry-run/a+b.csv'],
    ['dry-run/a%2Bb+c.csv', 'dry-run/a+b c.csv'],
    ['live/100%25+done.csv', 'live/100% done.csv'],
    ['live/%25252B.csv', 'live/%252B.csv'],
    ['live/caf%C3%A9+%E2%9C%93.csv', 'live/café ✓.csv'],
    ['live/%E6%97%A5%E6%9C%AC/x.csv', 'live/日本/x.csv'],
    ['live/sub%2Fdir.csv', 'live/sub/dir.csv'],
  ])('%s → %s', (encoded, decoded) => {
    expect(decodeS3Key(encoded)).toBe(decoded);
  });

  it('throws on a malformed escape', () => {
    expect(() => decodeS3Key('live/%E0%A4%A.csv')).toThrow(URIError);
  });

  it('inverts encodeS3Key for any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (key) => {
        expect(decodeS3Key(encodeS3Key(key))).toBe(key);
      }),
    );
  });

  it('encodes like S3 event notifications (space as +, plus as %2B, slash kept)', () => {
    expect(encodeS3Key('dry-run/my file+x.csv')).toBe('dry-run/my+file%2Bx.csv');
  });
});

describe('modeOfKey', () => {
  it.each([
    ['dry-run/a.csv', 'dry-run'],
    ['live/a.csv', 'live'],
    ['live/deep/er/a.csv', 'live'],
    ['dry-run/a.CSV', undefined],
    ['dry-run/a.csv.bak', undefined],
    ['reports/dry-run/a.csv', undefined],
    ['state/x/a.csv', undefined],
    ['Live/a.csv', undefined],
    ['live', undefined],
    ['a.csv', undefined],
    ['dryrun/a.csv', undefined],
  ])('%s → %s', (key, mode) => {
    expect(modeOfKey(key)).toBe(mode);
  });
});

describe('jobIdFor', () => {
  const ref = { bucket: 'b', key: 'live/team/People to remove (Q3).csv', versionId: 'v1' };

  it('is a valid execution name that is stable for the same object version', () => {
    const id = jobIdFor(ref);
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(id).toMatch(/^live-People-to-remove-Q3-[0-9a-f]{24}$/);
    expect(jobIdFor({ ...ref })).toBe(id);
  });

  it('differs by version, key and bucket', () => {
    const ids = new Set([
      jobIdFor(ref),
      jobIdFor({ ...ref, versionId: 'v2' }),
      jobIdFor({ ...ref, key: 'live/team/People to remove (Q4).csv' }),
      jobIdFor({ ...ref, bucket: 'other' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('falls back to eTag + sequencer without a version (quotes ignored)', () => {
    const unversioned = { bucket: 'b', key: 'dry-run/a.csv', eTag: '"abc"', sequencer: '01' };
    expect(jobIdFor(unversioned)).toBe(jobIdFor({ ...unversioned, eTag: 'abc' }));
    expect(jobIdFor(unversioned)).not.toBe(jobIdFor({ ...unversioned, sequencer: '02' }));
    expect(jobIdFor({ ...unversioned, versionId: 'null' })).toBe(jobIdFor(unversioned));
  });

  it('stays within 80 characters of [A-Za-z0-9_-] for any input key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom('dry-run/', 'live/'),
        (name, prefix) => {
          expect(jobIdFor({ bucket: 'b', key: `${prefix}${name}.csv`, versionId: 'v' })).toMatch(
            /^(dry-run|live)-[A-Za-z0-9_-]{1,30}-[0-9a-f]{24}$/,
          );
        },
      ),
    );
  });

  it('refuses a key that is not an input', () => {
    expect(() => jobIdFor({ bucket: 'b', key: 'reports/x.csv' })).toThrow();
  });
});

describe('reportPrefixFor', () => {
  it.each([
    ['dry-run/users.csv', 'reports/dry-run/users/J/'],
    ['live/team a/users+1.csv', 'reports/live/team a/users+1/J/'],
    ['live//lead/users.csv', 'reports/live/lead/users/J/'],
    ['live/../../etc/x.csv', 'reports/live/_/_/etc/x/J/'],
    ['live/./x.csv', 'reports/live/_/x/J/'],
    ['live/a/...csv', 'reports/live/a/_/J/'],
    ['dry-run/.csv', 'reports/dry-run/_/J/'],
  ])('%s → %s', (key, prefix) => {
    expect(reportPrefixFor(key, 'J')).toBe(prefix);
  });

  it('never escapes reports/<mode>/ and always ends with /<jobId>/', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '.', '..', '', ' ', '%2e', 'x/y'), { maxLength: 8 }), (segments) => {
        const prefix = reportPrefixFor(`live/${segments.join('/')}.csv`, 'J');
        expect(prefix.startsWith('reports/live/')).toBe(true);
        expect(prefix.endsWith('/J/')).toBe(true);
        expect(prefix.split('/').filter((segment) => segment === '..' || segment === '.')).toEqual([]);
        expect(prefix).not.toContain('//');
      }),
    );
  });
});

describe('parseJobInput', () => {
  const key = 'live/a.csv';
  const jobId = jobIdFor({ bucket: 'b', key, versionId: 'v' });
  const good = {
    jobId,
    bucket: 'b',
    key,
    versionId: 'v',
    mode: 'live',
    reportPrefix: reportPrefixFor(key, jobId),
    statePrefix: statePrefixFor(jobId),
  };

  it('keeps only the JobInput fields of a StepOutput', () => {
    expect(parseJobInput({ ...good, done: false, waitSeconds: 3, status: 'running' })).toEqual(good);
  });

  it.each([
    ['a prefix outside reports/', { reportPrefix: 'state/x/' }],
    ['a state prefix of another job', { statePrefix: 'state/other/' }],
    ['a mode that does not match the key', { mode: 'dry-run' }],
    ['an invalid job id', { jobId: 'a b' }],
    ['.. in the report prefix', { reportPrefix: `reports/live/../${jobId}/` }],
  ])('refuses %s', (_what, change) => {
    expect(() => parseJobInput({ ...good, ...change })).toThrow();
  });
});
