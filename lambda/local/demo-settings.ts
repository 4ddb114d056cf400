// Fixed names and sizes of the embedded local environment, shared by the pipeline, `npm start`, the local CLI and the sample generator.
import type { RateLimitConfig } from '../emulator/emulator-types.ts';

export const LOCAL_BUCKET = 'onelogin-bulk-delete-local';
export const LOCAL_REGION = 'us-east-1';
/** s3rver accepts any signature made with these. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
/** `npm start -- serve` listens here so that the local CLI can find it. */
export const SERVE_S3_PORT = 4569;
export const SERVE_EMULATOR_PORT = 4570;
export const SERVE_DATA_DIRECTORY = 'local-data';

/** The demo tenant; samples/demo-users.csv is generated from the same seed, so its rows exist. */
export const DEMO_TENANT = { seed: 42, count: 2000 } as const;
/** Emulator-only credentials; they protect nothing. */
export const DEMO_CREDENTIALS = { clientId: 'local-demo-client', clientSecret: 'local-demo-secret' } as const;
/** Modest, so that the demo shows pacing without waiting long. */
export const DEMO_RATE_LIMIT: RateLimitConfig = { limit: 600, windowSeconds: 60, sendHeaders: true };
