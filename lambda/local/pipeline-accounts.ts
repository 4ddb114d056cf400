// Several OneLogin accounts in the local pipeline (issue 12): one emulator per account (its own users, credentials and
// account_id), one secret per account as Secrets Manager would hold it, and the accounts setting the stack would set.
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import type { EmulatorOptions } from '../emulator/emulator-types.ts';
import type { Clock } from '../engine/ports.ts';
import type { AccountOverrides, AccountsSetting } from '../settings/accounts-setting.ts';
import { parseAccounts } from '../settings/accounts-setting.ts';
import type { PipelineEmulator } from './pipeline-emulator.ts';
import { pipelineSecretJson, secretLoader, startDemoEmulator } from './pipeline-emulator.ts';

export interface LocalAccountOptions extends AccountOverrides {
  /** The account's emulator (its users, credentials, account_id, port); the demo tenant when it names no users. */
  emulatorOptions?: Partial<EmulatorOptions>;
  /** The secret's JSON text; default: the emulator's credentials, api_url and account_id. null: no such secret. */
  secretJson?: string | null;
}

export interface PipelineAccounts {
  emulators: Readonly<Record<string, PipelineEmulator>>;
  setting: AccountsSetting;
  loadSettings(account?: string): Promise<OneLoginSettings>;
  close(): Promise<void>;
}

/** Two accounts for `npm start -- serve --accounts`: a production-like one and a small sandbox. */
export const DEMO_ACCOUNTS = {
  prod: { accountId: 100_001 },
  sandbox: { accountId: 100_002, seed: 43, count: 200, clientId: 'local-sandbox-client' },
} as const;

export function demoAccountOptions(emulatorPort: number): Record<string, LocalAccountOptions> {
  const sandbox = DEMO_ACCOUNTS.sandbox;
  return {
    prod: { emulatorOptions: { accountId: DEMO_ACCOUNTS.prod.accountId, port: emulatorPort } },
    sandbox: {
      emulatorOptions: {
        accountId: sandbox.accountId,
        tenant: { seed: sandbox.seed, count: sandbox.count },
        clientId: sandbox.clientId,
        clientSecret: 'local-sandbox-secret',
        port: emulatorPort === 0 ? 0 : emulatorPort + 1,
      },
    },
  };
}

/** Starts every account's emulator (closing those started if one fails) and validates the names as the stack does. */
export async function startPipelineAccounts(
  accounts: Readonly<Record<string, LocalAccountOptions>>,
  clock: Clock,
): Promise<PipelineAccounts> {
  const secretIds = Object.fromEntries(Object.keys(accounts).map((name) => [name, `local/onelogin/${name}`]));
  const setting = parseAccounts(
    Object.fromEntries(
      Object.entries(accounts).map(([name, { emulatorOptions: _e, secretJson: _s, ...overrides }]) => [
        name,
        { secretName: secretIds[name], ...overrides },
      ]),
    ),
    'accounts',
  );
  const emulators: Record<string, PipelineEmulator> = {};
  const loaders: Record<string, () => Promise<OneLoginSettings>> = {};
  const close = async () => {
    await Promise.all(Object.values(emulators).map((emulator) => emulator.instance.close()));
  };
  try {
    for (const [name, options] of Object.entries(accounts)) {
      const emulator = await startDemoEmulator(options.emulatorOptions, clock);
      emulators[name] = emulator;
      loaders[name] = secretLoader(options.secretJson === undefined ? accountSecret(emulator) : options.secretJson);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    emulators,
    setting,
    loadSettings: (account) => {
      const loader = account === undefined ? undefined : loaders[account];
      return loader === undefined ? secretLoader(null)() : loader();
    },
    close,
  };
}

function accountSecret(emulator: PipelineEmulator): string {
  const base = JSON.parse(pipelineSecretJson(undefined, emulator) ?? '{}') as Record<string, unknown>;
  const accountId = emulator.accountId;
  return JSON.stringify(accountId === undefined ? base : { ...base, account_id: accountId });
}
