// The one set of host rules (subdomain | region | api_url; plain http only to loopback) for the CLI, the secret and the
// client. Messages never quote the value: it may come from a secret, and a mistyped flag may hold one.

/** Exactly one of subdomain, region or apiUrl. */
export interface OneLoginHost {
  subdomain?: string;
  region?: 'us' | 'eu';
  apiUrl?: string;
}

export type HostKind = 'subdomain' | 'region' | 'apiUrl';

/** How a caller's user knows the setting: `--subdomain` / `ONELOGIN_SUBDOMAIN`, `the OneLogin secret's api_url`, … */
export interface HostWording {
  /** Names the value that was given, at the start of a message. */
  subject: string;
  /** How this caller spells each host setting, for hints (`--api-url`, `api_url`, `apiUrl`). */
  names: Readonly<Record<HostKind, string>>;
}

export interface ResolvedHost {
  /** Normalised: subdomain and region lower-case, apiUrl without a trailing slash (equal to baseUrl). */
  host: OneLoginHost;
  /** e.g. https://acme.onelogin.com (no trailing slash; may carry a path prefix for an apiUrl). */
  baseUrl: string;
  /** The one origin that credentials and tokens may ever go to. */
  origin: string;
}

export class HostSettingError extends Error {
  override readonly name = 'HostSettingError';
}

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets?.slice(1).every((part) => Number(part) <= 255) ?? false;
}

/** Checks one host setting and resolves it; throws HostSettingError with a value-free message. */
export function resolveHostSetting(kind: HostKind, value: string, wording: HostWording): ResolvedHost {
  const trimmed = value.trim();
  if (kind === 'subdomain') return resolveSubdomain(trimmed, wording);
  if (kind === 'region') return resolveRegion(trimmed, wording);
  return resolveApiUrl(trimmed, wording);
}

function resolveSubdomain(value: string, { subject, names }: HostWording): ResolvedHost {
  if (!SUBDOMAIN.test(value)) {
    throw new HostSettingError(
      `${subject} must be a bare name of letters, digits and inner hyphens (the part before .onelogin.com, e.g. acme); for a full URL use ${names.apiUrl}`,
    );
  }
  const subdomain = value.toLowerCase();
  const origin = `https://${subdomain}.onelogin.com`;
  return { host: { subdomain }, baseUrl: origin, origin };
}

function resolveRegion(value: string, { subject, names }: HostWording): ResolvedHost {
  const region = value.toLowerCase();
  if (region !== 'us' && region !== 'eu') {
    throw new HostSettingError(
      region === 'de'
        ? `${subject} must be us or eu: OneLogin documents no API host for region 'de'; use ${names.subdomain} (https://<your-subdomain>.onelogin.com) or ${names.apiUrl}`
        : `${subject} must be us or eu`,
    );
  }
  const origin = `https://api.${region}.onelogin.com`;
  return { host: { region }, baseUrl: origin, origin };
}

function resolveApiUrl(value: string, { subject }: HostWording): ResolvedHost {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HostSettingError(`${subject} is not a valid absolute URL`);
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHostname(url.hostname)) {
      throw new HostSettingError(
        `${subject}: plain http:// is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost) and this one is not loopback; use https://`,
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new HostSettingError(`${subject} must use https`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new HostSettingError(`${subject} must not carry credentials (a user name or password)`);
  }
  if (url.search !== '' || url.hash !== '') throw new HostSettingError(`${subject} must not have a query or fragment`);
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { host: { apiUrl: baseUrl }, baseUrl, origin: url.origin };
}
