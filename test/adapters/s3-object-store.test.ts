import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputMissingError, S3InputSource } from '../../lambda/adapters/s3-input-source.ts';
import { chunkInto, createS3Client, MIN_PART_SIZE, S3ObjectStore } from '../../lambda/adapters/s3-object-store.ts';

const BUCKET = 'store-test-bucket';

async function bytesOf(stream: AsyncIterable<Uint8Array> | null): Promise<Buffer | null> {
  if (stream === null) return null;
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random bytes in uneven pieces, as a generator (a stream of unknown length). */
async function* pieces(total: number, seed: number): AsyncGenerator<Uint8Array | string> {
  let state = seed;
  let sent = 0;
  while (sent < total) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const size = Math.min(total - sent, 4 + (state % 300_000));
    const piece = Buffer.alloc(size, state & 0xff);
    if (size >= 4) piece.writeUInt32BE(sent >>> 0, 0);
    sent += size;
    yield state % 5 === 0 ? piece.toString('latin1').replace(/[^\x00-\x7f]/g, 'a') : piece;
  }
}

async function collectPieces(total: number, seed: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const piece of pieces(total, seed))
    parts.push(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece));
  return Buffer.concat(parts);
}

describe('S3ObjectStore against s3rver', () => {
  let directory: string;
  let server: S3rver;
  let s3: S3Client;
  let store: S3ObjectStore;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 's3-object-store-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const { port } = await server.run();
    s3 = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      env: {},
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    store = new S3ObjectStore(s3, BUCKET);
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('configures the client for an emulator: path style, checksums only when required', async () => {
    expect(await s3.config.forcePathStyle).toBe(true);
    expect(await s3.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await s3.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    const real = createS3Client({ env: {}, region: 'us-east-1' });
    expect(await real.config.requestChecksumCalculation()).toBe('WHEN_SUPPORTED');
    real.destroy();
  });

  it('puts and gets strings and bytes, with the content type', async () => {
    await store.put('reports/a/report.json', '{"ok":"✓"}', 'application/json');
    expect((await bytesOf(await store.get('reports/a/report.json')))?.toString('utf8')).toBe('{"ok":"✓"}');
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'reports/a/report.json' }));
    expect(head.ContentType).toBe('application/json');
    const bytes = new Uint8Array([0, 1, 2, 255, 254]);
    await store.put('state/j/chunk-0', bytes);
    expect(await bytesOf(await store.get('state/j/chunk-0'))).toEqual(Buffer.from(bytes));
  });

  it('returns null for a missing key and throws for a missing bucket', async () => {
    expect(await store.get('state/none/checkpoint.json')).toBeNull();
    await expect(new S3ObjectStore(s3, 'no-such-bucket-here').get('x')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('streams a small body in one PutObject, exactly (no aws-chunked framing stored)', async () => {
    const expected = await collectPieces(700_000, 3);
    await store.put('reports/b/report.csv', pieces(700_000, 3), 'text/csv');
    const stored = await bytesOf(await store.get('reports/b/report.csv'));
    expect(stored?.length).toBe(expected.length);
    expect(stored?.equals(expected)).toBe(true);
  });

  it('streams a large body as a multipart upload, byte for byte', async () => {
    const total = 2 * MIN_PART_SIZE + 123_457;
    const expected = await collectPieces(total, 11);
    await store.put('reports/c/report.csv', pieces(total, 11));
    const stored = await bytesOf(await store.get('reports/c/report.csv'));
    expect(stored?.length).toBe(total);
    expect(stored?.equals(expected)).toBe(true);
  });

  it('writes an empty stream as an empty object', async () => {
    await store.put('reports/d/empty.csv', (async function* () {})());
    expect((await bytesOf(await store.get('reports/d/empty.csv')))?.length).toBe(0);
  });

  it('deletes', async () => {
    await store.put('state/e/x', 'x');
    await store.delete('state/e/x');
    expect(await store.get('state/e/x')).toBeNull();
  });

  it('S3InputSource reads the object, and names a vanished input clearly', async () => {
    await store.put('live/in.csv', 'id\n1\n');
    const input = new S3InputSource(s3, BUCKET, 'live/in.csv');
    expect(input.name).toBe(`s3://${BUCKET}/live/in.csv`);
    expect((await bytesOf(await input.open()))?.toString()).toBe('id\n1\n');
    await expect(new S3InputSource(s3, BUCKET, 'live/gone.csv').open()).rejects.toBeInstanceOf(InputMissingError);
  });
});

describe('chunkInto', () => {
  it('cuts any stream into parts of exactly the size, the last one shorter', async () => {
    const parts: number[] = [];
    const all: Buffer[] = [];
    for await (const part of chunkInto(pieces(1_000_003, 5), 100_000)) {
      parts.push(part.byteLength);
      all.push(Buffer.from(part));
    }
    expect(parts.slice(0, -1).every((size) => size === 100_000)).toBe(true);
    expect(parts.at(-1)).toBe(3);
    expect(Buffer.concat(all).equals(await collectPieces(1_000_003, 5))).toBe(true);
  });
});
