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

/** The serve ports, changed with LOCAL_S3_PORT / LOCAL_EMULATOR_PORT when another process holds the defaults. */
export function servePorts(env: NodeJS.ProcessEnv = process.env): { s3: number; emulator: number } {
  const port = (value: string | undefined, fallback: number) => {
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed > 0 && parsed < 65_536 ? parsed : fallback;
  };
  return { s3: port(env.LOCAL_S3_PORT, SERVE_S3_PORT), emulator: port(env.LOCAL_EMULATOR_PORT, SERVE_EMULATOR_PORT) };
}

/** The demo tenant; samples/demo-users.csv is generated from the same seed, so its rows exist. */
export const DEMO_TENANT = { seed: 42, count: 2000 } as const;
/** Emulator-only credentials; they protect nothing. */
export const DEMO_CREDENTIALS = { clientId: 'local-demo-client', clientSecret: 'local-demo-secret' } as const;
/** Modest, so that the demo shows pacing without waiting long. */
export const DEMO_RATE_LIMIT: RateLimitConfig = { limit: 600, windowSeconds: 60, sendHeaders: true };
