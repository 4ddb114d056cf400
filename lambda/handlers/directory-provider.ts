// Builds the OneLogin directory from the settings (cached while they stay the same), or a refusing one when they are unusable.
import { createHash } from 'node:crypto';
import { OneLoginUserDirectory } from '../adapters/onelogin-user-directory.ts';
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import { SecretSettingsError, validateApiUrl } from '../adapters/secret-settings.ts';
import type { Clock, Logger, UserDirectory } from '../engine/ports.ts';
import type { OneLoginClientOptions } from '../onelogin/client-types.ts';
import { OneLoginClient } from '../onelogin/onelogin-client.ts';
import { OneLoginError } from '../onelogin/onelogin-errors.ts';
import { ENV } from './handler-contract.ts';
import { createStepDeadlines } from './step-deadlines.ts';
import { UnavailableDirectory } from './unavailable-directory.ts';

export type ClientOverrides = Partial<Omit<OneLoginClientOptions, 'credentials' | 'subdomain' | 'region' | 'apiUrl'>>;

export interface DirectoryProviderDeps {
  /** `account`: the account folder's name (account-routing.ts); absent without an `accounts` setting. */
  loadSettings(account?: string): Promise<OneLoginSettings>;
  clock: Clock;
  options: { rateShare: number; concurrency: number; apiUrlOverride?: string };
  clientOverrides?: ClientOverrides;
}

export interface DirectoryChoice {
  directory: UserDirectory;
  /** Absent when the settings were refused. */
  client?: OneLoginClient;
  /** The secret's account_id: the account guard's expected account. */
  accountId?: number;
  /** The OneLogin host the run talks to (the summary names it); absent when the settings were refused. */
  host?: string;
}

/** Whose directory: an account of the `accounts` setting, with its own rate share; absent: the one secret. */
export interface DirectoryAccount {
  name: string;
  rateShare?: number;
}

export interface DirectoryProvider {
  /** Transient failures to read the settings are thrown (the state machine retries); unusable settings give a refusing directory. */
  directoryFor(log: Logger, account?: DirectoryAccount): Promise<DirectoryChoice>;
  /**
   * Runs `work` with a deadline: a pacing or 429 wait that would pass it becomes a WaitRequiredError, so the engine
   * checkpoints and the state machine waits (for free) instead of the Lambda.
   */
  withDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T>;
}

/** Secrets Manager errors that mean the secret cannot be used (as opposed to a transient failure worth a retry). */
const SECRET_CONFIG_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'DecryptionFailure',
  'InvalidRequestException',
]);

export function createDirectoryProvider(deps: DirectoryProviderDeps): DirectoryProvider {
  const deadlines = createStepDeadlines();
  // One client (and so one pacer) per account: runs of one account share its rate budget, other accounts' do not.
  const cache = new Map<string, { fingerprint: string; choice: DirectoryChoice }>();

  return {
    async directoryFor(log, account) {
      const cacheKey = account?.name ?? '';
      const cached = cache.get(cacheKey);
      const rateShare = account?.rateShare ?? deps.options.rateShare;
      let settings: OneLoginSettings;
      try {
        settings = await (account === undefined ? deps.loadSettings() : deps.loadSettings(account.name));
        if (deps.options.apiUrlOverride !== undefined) {
          settings = { ...settings, host: { apiUrl: validateApiUrl(deps.options.apiUrlOverride, ENV.apiUrlOverride) } };
        }
      } catch (error) {
        const refused = settingsRefusal(error);
        if (refused === undefined) throw error;
        log.error('OneLogin settings refused: the run is rejected', { code: refused.code, reason: refused.message });
        return { directory: new UnavailableDirectory(refused.code, refused.message) };
      }
      // A digest, so the credentials themselves are not kept twice in memory.
      const fingerprint = createHash('sha256').update(JSON.stringify({ settings, rateShare })).digest('hex');
      if (cached?.fingerprint === fingerprint) return cached.choice;
      let client: OneLoginClient;
      try {
        client = new OneLoginClient({
          probeRateStatus: true,
          ...deps.clientOverrides,
          ...settings.host,
          credentials: settings.credentials,
          concurrency: deps.options.concurrency,
          rateShare,
          now: () => deps.clock.now(),
          sleep: (ms) => deps.clock.sleep(ms),
          waitDeadline: deadlines.current,
        });
      } catch (error) {
        if (!(error instanceof OneLoginError)) throw error;
        log.error('OneLogin host refused: the run is rejected', { code: 'host-invalid', reason: error.message });
        return { directory: new UnavailableDirectory('host-invalid', error.message) };
      }
      const previous = cached?.choice.client;
      const directory = new OneLoginUserDirectory(client);
      const accountId = settings.accountId;
      const host = new URL(client.baseUrl).host;
      const choice: DirectoryChoice = { directory, client, host, ...(accountId !== undefined ? { accountId } : {}) };
      cache.set(cacheKey, { fingerprint, choice });
      if (previous !== undefined) void previous.close().catch(() => undefined);
      return choice;
    },

    withDeadline: (until, work) => deadlines.run(until, work),
  };
}

/** The code and safe message of a settings failure that must reject the run; undefined for a transient failure. */
export function settingsRefusal(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof SecretSettingsError) return { code: error.code, message: error.message };
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && SECRET_CONFIG_ERRORS.has(name)) {
    return { code: 'secret-invalid', message: `the OneLogin secret cannot be read (${name})` };
  }
  return undefined;
}
