// Deletes every object version and delete marker of a versioned bucket, so that the stack's deletion can remove it.
import type { ListObjectVersionsCommandOutput, ObjectIdentifier, S3Client } from '@aws-sdk/client-s3';
import { DeleteObjectsCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';

/** Returns how many versions and markers were deleted; a missing bucket counts as empty. */
export async function emptyVersionedBucket(s3: S3Client, bucket: string): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
      );
    } catch (error) {
      if ((error as { name?: unknown }).name === 'NoSuchBucket') return deleted;
      throw error;
    }
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((entry) =>
      entry.Key === undefined ? [] : [{ Key: entry.Key, VersionId: entry.VersionId }],
    );
    if (objects.length > 0) {
      const answer = await s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if ((answer.Errors ?? []).length > 0) throw new Error(`could not empty ${bucket}: ${answer.Errors?.[0]?.Code}`);
      deleted += objects.length;
    }
    if (!page.IsTruncated) return deleted;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}
