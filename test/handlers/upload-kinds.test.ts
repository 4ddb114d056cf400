// Which uploads run, as what: the one key → (mode, action) table and everything derived from it (job ids, report and
// snapshot prefixes, the dry run a live key is reviewed through, the payload check, the engine's JobSpec, refusals).
import type { S3EventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { InvalidJobInputError, jobSpecFor, parseJobInput } from '../../lambda/handlers/job-input.ts';
import {
  dryRunKeyFor,
  jobIdFor,
  reportFolderFor,
  reportPrefixFor,
  snapshotPrefixFor,
  statePrefixFor,
} from '../../lambda/handlers/job-naming.ts';
import { jobInputForRecord } from '../../lambda/handlers/on-upload-handler.ts';
import { refusedUploadFor } from '../../lambda/handlers/refused-upload.ts';
import { uploadKindOf } from '../../lambda/handlers/upload-kinds.ts';

function record(key: string): S3EventRecord {
  return {
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:uploader' },
    s3: { bucket: { name: 'b' }, object: { key, versionId: 'v1', eTag: 'e', sequencer: '01' } },
  } as unknown as S3EventRecord;
}

describe('uploadKindOf: the one table', () => {
  it.each([
    ['dry-run/a.csv', 'dry-run', 'delete'],
    ['dry-run/team/snapshot.jsonl', 'dry-run', 'restore'],
    ['live/a.csv', 'live', 'delete'],
    ['suspend/a.csv', 'live', 'suspend'],
    ['suspend/deep/er/a.csv', 'live', 'suspend'],
    ['restore/snapshot.jsonl', 'live', 'restore'],
  ])('%s runs as %s %s', (key, mode, action) => {
    expect(uploadKindOf(key)).toMatchObject({ mode, action });
  });

  it.each([
    'restore/a.csv',
    'live/snapshot.jsonl',
    'suspend/snapshot.jsonl',
    'suspend/a.CSV',
    'restore/a.JSONL',
    'reports/suspend/a.csv',
    'snapshots/live/a/x/snapshot.jsonl',
    'Suspend/a.csv',
    'suspended/a.csv',
  ])('%s runs nothing', (key) => {
    expect(uploadKindOf(key)).toBeUndefined();
  });
});

describe('names derived from the key', () => {
  it('job ids start with the folder, so suspend and restore runs read as such', () => {
    expect(jobIdFor({ bucket: 'b', key: 'suspend/hr/leavers.csv', versionId: 'v1' })).toMatch(
      /^suspend-leavers-[0-9a-f]{24}$/,
    );
    expect(jobIdFor({ bucket: 'b', key: 'restore/snapshot.jsonl', versionId: 'v1' })).toMatch(
      /^restore-snapshot-[0-9a-f]{24}$/,
    );
    expect(jobIdFor({ bucket: 'b', key: 'dry-run/snapshot.jsonl', versionId: 'v1' })).toMatch(
      /^dry-run-snapshot-[0-9a-f]{24}$/,
    );
    expect(() => jobIdFor({ bucket: 'b', key: 'restore/a.csv', versionId: 'v1' })).toThrow('not an input key');
  });

  it('reports go under reports/<folder>/<name>/<jobId>/, snapshots under snapshots/<folder>/<name>/<jobId>/', () => {
    expect(reportPrefixFor('suspend/hr/leavers.csv', 'J')).toBe('reports/suspend/hr/leavers/J/');
    expect(reportPrefixFor('restore/hr/snapshot.jsonl', 'J')).toBe('reports/restore/hr/snapshot/J/');
    expect(reportPrefixFor('dry-run/snapshot.jsonl', 'J')).toBe('reports/dry-run/snapshot/J/');
    expect(snapshotPrefixFor('live/hr/leavers.csv', 'J')).toBe('snapshots/live/hr/leavers/J/');
    expect(snapshotPrefixFor('suspend/../x.csv', 'J')).toBe('snapshots/suspend/_/x/J/');
    expect(reportFolderFor('restore/.jsonl')).toBe('reports/restore/_/');
  });

  it('a live key is reviewed through the dry run of the same name and ending', () => {
    expect(dryRunKeyFor('live/a/b.csv')).toBe('dry-run/a/b.csv');
    expect(dryRunKeyFor('suspend/a/b.csv')).toBe('dry-run/a/b.csv');
    expect(dryRunKeyFor('restore/a/b.jsonl')).toBe('dry-run/a/b.jsonl');
  });
});

describe('on-upload: the job a record starts', () => {
  it.each([
    ['suspend/leavers.csv', 'live', 'suspend', 'reports/suspend/leavers/'],
    ['restore/snapshot.jsonl', 'live', 'restore', 'reports/restore/snapshot/'],
    ['dry-run/snapshot.jsonl', 'dry-run', 'restore', 'reports/dry-run/snapshot/'],
  ])('%s → %s %s under %s', (key, mode, action, folder) => {
    const found = jobInputForRecord(record(key));
    if (!('job' in found)) throw new Error(`skipped: ${found.skip}`);
    expect(found.job).toMatchObject({ key, mode, action });
    expect(found.job.reportPrefix).toBe(`${folder}${found.job.jobId}/`);
  });

  it('a deletion carries no action field, as before', () => {
    const found = jobInputForRecord(record('live/leavers.csv'));
    expect('job' in found && found.job).not.toHaveProperty('action');
  });

  it.each([
    ['restore/leavers.csv', 'not-a-snapshot-key', /CSV of users goes under dry-run\/, live\/ or suspend\//],
    [
      'restore/snapshot.txt',
      'not-a-snapshot-key',
      /only keys ending in \.jsonl are run\. Upload it again as restore\/snapshot\.jsonl/,
    ],
    ['restore/snapshot.JSONL', 'not-a-snapshot-key', /case-sensitive/],
    ['live/snapshot.jsonl', 'not-a-csv-key', /restored from restore\/snapshot\.jsonl.*dry-run\/snapshot\.jsonl/],
    ['suspend/snapshot.jsonl', 'not-a-csv-key', /restored from restore\/snapshot\.jsonl/],
    ['suspend/leavers.txt', 'not-a-csv-key', /Upload it again as suspend\/leavers\.csv\.$/],
  ])('%s is refused with a report (%s) and starts nothing', (key, code, message) => {
    expect('skip' in jobInputForRecord(record(key))).toBe(true);
    const refused = refusedUploadFor(record(key));
    expect(refused?.error.code).toBe(code);
    expect(refused?.error.message).toMatch(message);
    const folder = key.split('/')[0];
    expect(refused?.reportPrefix).toMatch(new RegExp(`^reports/${folder}/.+/refused-[0-9a-f]{24}/$`));
  });

  it('folder markers under the new folders are not refused uploads', () => {
    expect(refusedUploadFor(record('suspend/'))).toBeUndefined();
    expect(refusedUploadFor(record('restore/2026/'))).toBeUndefined();
  });
});

describe('the state machine payload and the engine job', () => {
  const payload = (key: string, extra: Record<string, unknown> = {}) => {
    const found = jobInputForRecord(record(key));
    if (!('job' in found)) throw new Error('skipped');
    return { ...found.job, ...extra };
  };

  it('round-trips suspend and restore jobs', () => {
    for (const key of ['suspend/a.csv', 'restore/a.jsonl', 'dry-run/a.jsonl']) {
      expect(parseJobInput(payload(key))).toEqual(payload(key));
    }
  });

  it('refuses a payload whose action or report folder disagrees with its key', () => {
    expect(() => parseJobInput(payload('suspend/a.csv', { action: 'delete' }))).toThrow(InvalidJobInputError);
    expect(() => parseJobInput({ ...payload('suspend/a.csv'), action: undefined })).toThrow('action');
    expect(() => parseJobInput(payload('live/a.csv', { action: 'suspend' }))).toThrow('action');
    expect(() => parseJobInput(payload('restore/a.jsonl', { mode: 'dry-run' }))).toThrow('mode');
    const job = payload('suspend/a.csv');
    expect(() => parseJobInput({ ...job, reportPrefix: `reports/live/a/${job.jobId}/` })).toThrow('reportPrefix');
  });

  it('gives the engine the action, and a snapshot prefix to a live delete or suspend only', () => {
    const options = { protect: [], maxPercent: 10 };
    const suspend = jobSpecFor(parseJobInput(payload('suspend/a.csv')), options);
    expect(suspend).toMatchObject({ mode: 'live', action: 'suspend' });
    expect(suspend.snapshotPrefix).toBe(`snapshots/suspend/a/${suspend.id}/`);
    const live = jobSpecFor(parseJobInput(payload('live/a.csv')), options);
    expect(live).toMatchObject({ action: 'delete', snapshotPrefix: `snapshots/live/a/${live.id}/` });
    expect(jobSpecFor(parseJobInput(payload('restore/a.jsonl')), options)).not.toHaveProperty('snapshotPrefix');
    expect(jobSpecFor(parseJobInput(payload('dry-run/a.csv')), options)).not.toHaveProperty('snapshotPrefix');
    expect(jobSpecFor(parseJobInput(payload('dry-run/a.jsonl')), options).action).toBe('restore');
    expect(statePrefixFor(live.id)).toBe(live.statePrefix);
  });
});
