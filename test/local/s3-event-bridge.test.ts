import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeS3Key } from '../../lambda/handlers/job-naming.ts';
import { createS3EventBridge } from '../../lambda/local/s3-event-bridge.ts';

/** An event as s3rver 3.7.1 emits it: raw key, unquoted eTag. */
function s3rverEvent(key: string, eventName = 'ObjectCreated:Put'): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.0',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-28T10:27:08.621Z',
        eventName,
        userIdentity: { principalId: 'AWS:A5E38502692F3461E3F90' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': '2DAE2251FAB037EB', 'x-amz-id-2': 'ZM32' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'testConfigId',
          bucket: { name: 'bucket', ownerIdentity: { principalId: '40B4AFC6AAD694' }, arn: 'arn:aws:s3: : :bucket' },
          object: { key, sequencer: '1A221B1C6CD', size: 22, eTag: 'ee76640358e07a3d31eafad460a64593' },
        },
      },
    ],
  };
}

describe('S3 event bridge', () => {
  it('delivers only object-created uploads under dry-run/ or live/ (on-upload refuses the non-.csv ones)', async () => {
    const keys: string[] = [];
    const bridge = createS3EventBridge(
      async (event) => void keys.push(...event.Records.map((record) => record.s3.object.key)),
    );
    for (const key of [
      'dry-run/a.csv',
      'live/b.csv',
      'reports/dry-run/a/j/report.csv',
      'state/j/checkpoint.json',
      'dry-run/a.txt',
      'other/c.csv',
      'dry-run/A.CSV',
    ]) {
      bridge.accept(s3rverEvent(key));
    }
    bridge.accept(s3rverEvent('live/gone.csv', 'ObjectRemoved:Delete'));
    await bridge.idle();
    expect(keys).toEqual(['dry-run/a.csv', 'live/b.csv', 'dry-run/a.txt', 'dry-run/A.CSV']);
    expect(bridge.ignored).toBe(4);
    expect(bridge.received).toHaveLength(4);
  });

  it('re-encodes the raw key the way real S3 does, so that the handler decodes it back exactly', async () => {
    const keys: string[] = [];
    const bridge = createS3EventBridge(async (event) => void keys.push(event.Records[0]!.s3.object.key));
    const raw = 'dry-run/team a+b/Leavers 2026+Q1 100%é.csv';
    bridge.accept(s3rverEvent(raw));
    await bridge.idle();
    expect(keys).toEqual(['dry-run/team+a%2Bb/Leavers+2026%2BQ1+100%25%C3%A9.csv']);
    expect(decodeS3Key(keys[0]!)).toBe(raw);
    expect(bridge.received[0]?.Records[0]?.s3.object.key).toBe(raw);
  });

  it('delivers after the emitting call returns (s3rver emits inside the PUT), in order, and records failures', async () => {
    const calls: string[] = [];
    const bridge = createS3EventBridge(async (event) => {
      const key = event.Records[0]!.s3.object.key;
      calls.push(key);
      if (key === 'live/bad.csv') throw new Error('cannot start');
    });
    bridge.accept(s3rverEvent('live/bad.csv'));
    bridge.accept(s3rverEvent('live/good.csv'));
    expect(calls).toEqual([]);
    await bridge.idle();
    expect(calls).toEqual(['live/bad.csv', 'live/good.csv']);
    expect(bridge.failures).toEqual([{ key: 'live/bad.csv', message: 'cannot start' }]);
    expect(bridge.delivered).toHaveLength(2);
  });
});
