// Turns s3rver's 'event' emissions into the S3 notifications AWS would deliver to the on-upload Lambda:
// only ObjectCreated under the input folders (dry-run/, live/, suspend/, restore/), as the stack's filter (s3rver ignores notification filters and would fire for
// reports/ and state/ writes too), with the key URL-encoded as real S3 does (s3rver sends it raw).
// s3rver emits synchronously inside the PUT, before answering; deliveries are queued and run after the PUT returns.
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { ALL_INPUT_PREFIXES } from '../handlers/handler-contract.ts';
import { encodeS3Key } from '../handlers/job-naming.ts';

export type OnUpload = (event: S3Event) => Promise<void>;

export interface S3EventBridge {
  /** Hand over an event exactly as s3rver emitted it (raw key). */
  accept(event: S3Event): void;
  /** Resolves once every accepted event has been delivered and its handler call has returned. */
  idle(): Promise<void>;
  /** Input-upload events as s3rver emitted them (raw keys). */
  readonly received: readonly S3Event[];
  /** Records dropped by the notification filter (reports/, state/, other prefixes, removals). */
  readonly ignored: number;
  /** Events handed to on-upload, as delivered (encoded keys). */
  readonly delivered: readonly S3Event[];
  /** Deliveries whose handler threw (on AWS the async invoke would retry them). */
  readonly failures: ReadonlyArray<{ key: string; message: string }>;
}

export function isInputUpload(record: S3EventRecord): boolean {
  // Not only `.csv`: on-upload answers `Users.CSV` or `users.txt` under these prefixes with a refused report.
  const key = record.s3.object.key;
  return record.eventName.startsWith('ObjectCreated:') && ALL_INPUT_PREFIXES.some((p) => key.startsWith(p));
}

export function asDeliveredRecord(record: S3EventRecord): S3EventRecord {
  return {
    ...record,
    s3: { ...record.s3, object: { ...record.s3.object, key: encodeS3Key(record.s3.object.key) } },
  };
}

/** Who uploaded an object (s3rver's events always name the same principal); undefined keeps the event's own. */
export type PrincipalOf = (bucket: string, key: string) => Promise<string | undefined>;

export function createS3EventBridge(
  onUpload: OnUpload,
  onFailure?: (key: string, error: unknown) => void,
  principalOf?: PrincipalOf,
): S3EventBridge {
  const received: S3Event[] = [];
  const delivered: S3Event[] = [];
  let ignored = 0;
  const failures: Array<{ key: string; message: string }> = [];
  let queue: Promise<void> = Promise.resolve();

  // Raw keys go to principalOf; the delivered records carry keys encoded as real S3 does.
  const withPrincipals = async (event: S3Event): Promise<S3Event> => {
    if (principalOf === undefined) return { Records: event.Records.map(asDeliveredRecord) };
    const records = await Promise.all(
      event.Records.map(async (record) => {
        const principalId = await principalOf(record.s3.bucket.name, record.s3.object.key);
        const delivered = asDeliveredRecord(record);
        return principalId === undefined ? delivered : { ...delivered, userIdentity: { principalId } };
      }),
    );
    return { Records: records };
  };

  const deliver = async (raw: S3Event): Promise<void> => {
    const event = await withPrincipals(raw);
    delivered.push(event);
    try {
      await onUpload(event);
    } catch (error) {
      const key = event.Records[0]?.s3.object.key ?? '';
      failures.push({ key, message: error instanceof Error ? error.message : String(error) });
      onFailure?.(key, error);
    }
  };

  return {
    accept(event) {
      const inputs = event.Records.filter(isInputUpload);
      ignored += event.Records.length - inputs.length;
      if (inputs.length === 0) return;
      received.push({ Records: inputs });
      queue = queue
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => deliver({ Records: inputs }))
        .then(undefined, () => undefined);
    },
    async idle() {
      let current: Promise<void>;
      do {
        current = queue;
        await current;
      } while (current !== queue);
    },
    received,
    get ignored() {
      return ignored;
    },
    delivered,
    failures,
  };
}
