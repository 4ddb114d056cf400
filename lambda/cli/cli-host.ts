// The OneLogin host from --subdomain | --region | --api-url | env= (or, when no flag names one, the ONELOGIN_* env),
// checked by the one set of host rules (lambda/settings/onelogin-host.ts).
import type { OneLoginHost } from '../onelogin/client-types.ts';
import type { HostKind } from '../settings/onelogin-host.ts';
import { HostSettingError, resolveHostSetting } from '../settings/onelogin-host.ts';
import type { Env, OptionValues } from './cli-option-spec.ts';
import { oldFormRegion } from './old-form.ts';
import { nonEmpty } from './option-values.ts';

export interface HostChoice {
  host: OneLoginHost;
  /** Where the host came from, for messages: `--api-url`, `ONELOGIN_SUBDOMAIN`, `env=us`, … */
  source: string;
}

type HostCandidate = [source: string, kind: HostKind, value: string];

const CLI_NAMES = { subdomain: '--subdomain', region: '--region', apiUrl: '--api-url' } as const;

export function resolveCliHost(
  values: Pick<OptionValues, 'subdomain' | 'region' | 'api-url'>,
  oldEnv: string | undefined,
  env: Env,
  errors: string[],
  warnings: string[] = [],
): HostChoice | undefined {
  const fromArgs = hostFlags(values, oldEnv === undefined ? undefined : oldFormRegion(oldEnv, warnings), oldEnv);
  // Flags win over the environment; the environment is consulted only when no flag names a host.
  const chosen = fromArgs.length > 0 ? fromArgs : hostEnv(env);
  if (chosen.length === 0) {
    errors.push(
      'missing the OneLogin host: pass one of --subdomain acme, --region us|eu or --api-url URL (or set ONELOGIN_SUBDOMAIN, ONELOGIN_REGION or ONELOGIN_API_URL)',
    );
    return undefined;
  }
  const [source, kind, value] = chosen[0] as HostCandidate;
  if (chosen.length > 1) {
    errors.push(`give exactly one OneLogin host, not ${chosen.map(([name]) => name).join(' and ')}`);
    return undefined;
  }
  try {
    return { host: resolveHostSetting(kind, value, { subject: source, names: CLI_NAMES }).host, source };
  } catch (error) {
    if (!(error instanceof HostSettingError)) throw error;
    errors.push(error.message);
    return undefined;
  }
}

function hostFlags(
  values: Pick<OptionValues, 'subdomain' | 'region' | 'api-url'>,
  oldRegion: string | undefined,
  oldEnv: string | undefined,
): HostCandidate[] {
  const candidates: HostCandidate[] = [];
  if (values.subdomain !== undefined) candidates.push(['--subdomain', 'subdomain', values.subdomain]);
  if (values.region !== undefined) candidates.push(['--region', 'region', values.region]);
  if (values['api-url'] !== undefined) candidates.push(['--api-url', 'apiUrl', values['api-url']]);
  if (oldRegion !== undefined) candidates.push([`env=${oldEnv ?? oldRegion}`, 'region', oldRegion]);
  return candidates;
}

function hostEnv(env: Env): HostCandidate[] {
  const candidates: HostCandidate[] = [];
  const subdomain = nonEmpty(env.ONELOGIN_SUBDOMAIN);
  const region = nonEmpty(env.ONELOGIN_REGION);
  const apiUrl = nonEmpty(env.ONELOGIN_API_URL);
  if (subdomain !== undefined) candidates.push(['ONELOGIN_SUBDOMAIN', 'subdomain', subdomain]);
  if (region !== undefined) candidates.push(['ONELOGIN_REGION', 'region', region]);
  if (apiUrl !== undefined) candidates.push(['ONELOGIN_API_URL', 'apiUrl', apiUrl]);
  return candidates;
}

/** A short, secret-free name of the host for messages and the confirmation prompt. */
export function describeHost(host: OneLoginHost): string {
  if (host.subdomain !== undefined) return `${host.subdomain}.onelogin.com`;
  if (host.region !== undefined) return `api.${host.region}.onelogin.com`;
  if (host.apiUrl !== undefined) {
    try {
      return new URL(host.apiUrl).host;
    } catch {
      return host.apiUrl;
    }
  }
  return 'OneLogin';
}
