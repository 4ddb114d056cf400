// The local pipeline's OneLogin side: the emulator it runs against (the demo tenant unless one is given) and the secret
// the handlers load to reach it, as Secrets Manager would return it.
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import { settingsFromJson } from '../adapters/secret-settings.ts';
import type { EmulatorOptions, OneLoginEmulator } from '../emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../emulator/onelogin-emulator.ts';
import type { Clock } from '../engine/ports.ts';
import { DEMO_CREDENTIALS, DEMO_RATE_LIMIT } from './demo-settings.ts';
import { demoTenantUsers } from './demo-tenant.ts';

/** A running emulator and the credentials it accepts. */
export interface PipelineEmulator {
  instance: OneLoginEmulator;
  clientId: string;
  clientSecret: string;
  /** The account_id its tokens carry, when it was chosen. */
  accountId?: number;
}

/** The demo emulator on a free port, on `clock`, with the demo tenant unless `emulatorOptions` names users. */
export async function startDemoEmulator(
  emulatorOptions: Partial<EmulatorOptions> | undefined,
  clock: Clock,
): Promise<PipelineEmulator> {
  return {
    instance: await createOneLoginEmulator({
      ...(emulatorOptions?.tenant || emulatorOptions?.users ? {} : { users: demoTenantUsers() }),
      clientId: DEMO_CREDENTIALS.clientId,
      clientSecret: DEMO_CREDENTIALS.clientSecret,
      rateLimit: DEMO_RATE_LIMIT,
      host: '127.0.0.1',
      port: 0,
      now: () => clock.now(),
      ...emulatorOptions,
    }),
    clientId: emulatorOptions?.clientId ?? DEMO_CREDENTIALS.clientId,
    clientSecret: emulatorOptions?.clientSecret ?? DEMO_CREDENTIALS.clientSecret,
    ...(emulatorOptions?.accountId === undefined ? {} : { accountId: emulatorOptions.accountId }),
  };
}

/** `secretJson` when given (null = no secret), else the emulator's credentials with api_url = its URL. */
export function pipelineSecretJson(secretJson: string | null | undefined, emulator: PipelineEmulator): string | null {
  if (secretJson !== undefined) return secretJson;
  return JSON.stringify({
    client_id: emulator.clientId,
    client_secret: emulator.clientSecret,
    api_url: emulator.instance.url,
  });
}

/** The handlers' settings loader over a fixed secret text; null fails the way a missing secret does. */
export function secretLoader(secretJson: string | null): () => Promise<OneLoginSettings> {
  return async () => {
    if (secretJson === null) {
      const missing = new Error('Secrets Manager can’t find the specified secret.');
      missing.name = 'ResourceNotFoundException';
      throw missing;
    }
    return settingsFromJson(secretJson);
  };
}
