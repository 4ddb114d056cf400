// The local pipeline's side of suspend/ and restore/: which key `npm run local -- upload` puts a file under, and that
// the S3 event bridge delivers uploads under the new folders as the stack's notifications do.
import type { S3EventRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { isInputUpload } from '../../lambda/local/s3-event-bridge.ts';
import { uploadTargetFor } from '../../lambda/local/upload-key.ts';

describe('uploadTargetFor', () => {
  it.each([
    ['users.csv', {}, 'dry-run/users.csv', 'reports/dry-run/users/', 'text/csv'],
    ['users.csv', { live: true }, 'live/users.csv', 'reports/live/users/', 'text/csv'],
    ['users.csv', { suspend: true }, 'suspend/users.csv', 'reports/suspend/users/', 'text/csv'],
    ['snapshot.jsonl', {}, 'dry-run/snapshot.jsonl', 'reports/dry-run/snapshot/', 'application/x-ndjson'],
    ['snapshot.jsonl', { live: true }, 'restore/snapshot.jsonl', 'reports/restore/snapshot/', 'application/x-ndjson'],
  ])('%s %o → %s, reports under %s', (name, flags, key, reportFolder, contentType) => {
    expect(uploadTargetFor(name, { live: false, suspend: false, ...flags })).toEqual({
      key,
      reportFolder,
      contentType,
    });
  });

  it.each([
    ['users.txt', {}, /must end with \.csv \(users\) or \.jsonl/],
    ['snapshot.jsonl', { suspend: true }, /--suspend takes a CSV/],
    ['users.csv', { live: true, suspend: true }, /--live and --suspend were both given/],
  ])('%s %o is refused before anything is uploaded', (name, flags, message) => {
    expect(() => uploadTargetFor(name, { live: false, suspend: false, ...flags })).toThrow(message);
  });
});

describe('the event bridge filter', () => {
  const record = (key: string, eventName = 'ObjectCreated:Put') =>
    ({ eventName, s3: { object: { key } } }) as S3EventRecord;

  it('delivers object-created uploads under suspend/ and restore/ too, never reports/ or snapshots/', () => {
    expect(isInputUpload(record('suspend/users.csv'))).toBe(true);
    expect(isInputUpload(record('restore/snapshot.jsonl'))).toBe(true);
    expect(isInputUpload(record('restore/users.csv'))).toBe(true);
    expect(isInputUpload(record('snapshots/live/users/j/snapshot.jsonl'))).toBe(false);
    expect(isInputUpload(record('reports/suspend/users/j/report.json'))).toBe(false);
    expect(isInputUpload(record('suspend/users.csv', 'ObjectRemoved:Delete'))).toBe(false);
  });
});
