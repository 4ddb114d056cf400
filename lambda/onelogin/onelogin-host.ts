// The client's view of the host rules (lambda/settings/onelogin-host.ts): its option names, its error type.
import type { HostKind, ResolvedHost } from '../settings/onelogin-host.ts';
import { HostSettingError, resolveHostSetting } from '../settings/onelogin-host.ts';
import type { OneLoginHost } from './client-types.ts';
import { OneLoginConfigError } from './onelogin-errors.ts';

export type { ResolvedHost } from '../settings/onelogin-host.ts';
export { isLoopbackHostname } from '../settings/onelogin-host.ts';

const CLIENT_NAMES = { subdomain: 'subdomain', region: 'region', apiUrl: 'apiUrl' } as const;

export function resolveOneLoginHost(host: OneLoginHost): ResolvedHost {
  const given = (Object.keys(CLIENT_NAMES) as HostKind[]).filter(
    (kind) => host[kind] !== undefined && host[kind] !== '',
  );
  const kind = given[0];
  if (given.length !== 1 || kind === undefined) {
    throw new OneLoginConfigError('give exactly one of subdomain, region or apiUrl for the OneLogin host');
  }
  try {
    return resolveHostSetting(kind, host[kind] ?? '', { subject: `the OneLogin ${kind}`, names: CLIENT_NAMES });
  } catch (error) {
    if (error instanceof HostSettingError) throw new OneLoginConfigError(error.message);
    throw error;
  }
}
