// Command-line flags of the standalone emulator (`npm run emulator`).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { RateLimitConfig } from './emulator-types.ts';

export interface EmulatorCliSettings {
  host: string;
  port: number;
  users: number;
  seed: number;
  clientId: string;
  clientSecret: string;
  /** True when the secret was generated here (printed once as a demo-only value). */
  secretGenerated: boolean;
  rateLimit: RateLimitConfig | null;
  /** List items carry custom_attributes and role_ids (OneLogin's omit them). */
  listIncludesCustomAttributes: boolean;
  help: boolean;
}

export const EMULATOR_USAGE = `Usage: npm run emulator -- [options]
  --port N             port to listen on (default 0: any free port)
  --host H             address to bind (default 127.0.0.1)
  --users N            users to generate (default 1000)
  --seed N             tenant seed (default 1)
  --client-id ID       client id (default demo-client-id)
  --client-secret S    client secret (default: generated, demo only)
  --rate-limit N/S     N calls per S-second window (e.g. 5000/3600; default off)
  --list-includes-custom-attributes
                       list items carry custom_attributes and role_ids (default: omitted, as OneLogin's)
  --help               show this help`;

function nonNegativeInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function parseRateLimit(value: string | undefined): RateLimitConfig | null {
  if (value === undefined || value === 'off') return null;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const limit = Number(match?.[1]);
  const windowSeconds = Number(match?.[2]);
  if (!match || limit < 1 || windowSeconds < 1)
    throw new Error(`--rate-limit must look like 5000/3600, got "${value}"`);
  return { limit, windowSeconds };
}

export function parseEmulatorArgs(argv: string[]): EmulatorCliSettings {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'rate-limit': { type: 'string' },
      'list-includes-custom-attributes': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const port = nonNegativeInteger('port', values.port, 0);
  if (port > 65_535) throw new Error(`--port must be at most 65535, got ${port}`);
  const secret = values['client-secret'];
  return {
    host: values.host ?? '127.0.0.1',
    port,
    users: nonNegativeInteger('users', values.users, 1000),
    seed: nonNegativeInteger('seed', values.seed, 1),
    clientId: values['client-id'] ?? 'demo-client-id',
    clientSecret: secret ?? `demo-${randomBytes(12).toString('hex')}`,
    secretGenerated: secret === undefined,
    rateLimit: parseRateLimit(values['rate-limit']),
    listIncludesCustomAttributes: values['list-includes-custom-attributes'] === true,
    help: values.help === true,
  };
}
