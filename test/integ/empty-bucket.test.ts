// The integ teardown's bucket emptying: every version and delete marker of every page, and a missing bucket is empty.
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyVersionedBucket } from './empty-bucket.ts';

const s3Mock = mockClient(S3Client);

describe('emptyVersionedBucket', () => {
  afterEach(() => s3Mock.reset());

  it('deletes the versions and delete markers of every page', async () => {
    s3Mock
      .on(ListObjectVersionsCommand, { Bucket: 'b', KeyMarker: undefined })
      .resolves({
        Versions: [{ Key: 'a', VersionId: '1' }],
        DeleteMarkers: [{ Key: 'a', VersionId: '2' }],
        IsTruncated: true,
        NextKeyMarker: 'a',
        NextVersionIdMarker: '2',
      })
      .on(ListObjectVersionsCommand, { Bucket: 'b', KeyMarker: 'a', VersionIdMarker: '2' })
      .resolves({ Versions: [{ Key: 'b', VersionId: '3' }], IsTruncated: false });
    s3Mock.on(DeleteObjectsCommand).resolves({});

    expect(await emptyVersionedBucket(new S3Client({ region: 'eu-west-1' }), 'b')).toBe(3);
    expect(s3Mock.commandCalls(DeleteObjectsCommand).map((call) => call.args[0].input.Delete?.Objects)).toEqual([
      [
        { Key: 'a', VersionId: '1' },
        { Key: 'a', VersionId: '2' },
      ],
      [{ Key: 'b', VersionId: '3' }],
    ]);
  });

  it('counts a missing bucket as empty and fails on an object it could not delete', async () => {
    const missing = Object.assign(new Error('gone'), { name: 'NoSuchBucket' });
    s3Mock.on(ListObjectVersionsCommand, { Bucket: 'gone' }).rejects(missing);
    expect(await emptyVersionedBucket(new S3Client({ region: 'eu-west-1' }), 'gone')).toBe(0);

    s3Mock.on(ListObjectVersionsCommand, { Bucket: 'held' }).resolves({ Versions: [{ Key: 'k', VersionId: '1' }] });
    s3Mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k', Code: 'AccessDenied' }] });
    await expect(emptyVersionedBucket(new S3Client({ region: 'eu-west-1' }), 'held')).rejects.toThrow(/AccessDenied/);
  });
});
