// Turns the host settings (subdomain | region | apiUrl) into the one origin that credentials and tokens may ever go to.
import type { OneLoginHost } from './client-types.ts';
import { OneLoginConfigError } from './onelogin-errors.ts';

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export interface ResolvedHost {
  /** e.g. https://acme.onelogin.com (no trailing slash; may carry a path prefix for an apiUrl). */
  baseUrl: string;
  origin: string;
}

export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets?.slice(1).every((part) => Number(part) <= 255) ?? false;
}

export function resolveOneLoginHost(host: OneLoginHost): ResolvedHost {
  const given = [host.subdomain, host.region, host.apiUrl].filter((value) => value !== undefined && value !== '');
  if (given.length !== 1) {
    throw new OneLoginConfigError('give exactly one of subdomain, region or apiUrl for the OneLogin host');
  }
  if (host.subdomain !== undefined && host.subdomain !== '') {
    if (!SUBDOMAIN.test(host.subdomain)) {
      throw new OneLoginConfigError(
        'the OneLogin subdomain may hold only letters, digits and inner hyphens (e.g. "acme" for acme.onelogin.com); use apiUrl for a full URL',
      );
    }
    const origin = `https://${host.subdomain.toLowerCase()}.onelogin.com`;
    return { baseUrl: origin, origin };
  }
  if (host.region !== undefined && (host.region as string) !== '') {
    if (!['us', 'eu'].includes(host.region)) {
      throw new OneLoginConfigError('the OneLogin region must be "us" or "eu"');
    }
    const origin = `https://api.${host.region}.onelogin.com`;
    return { baseUrl: origin, origin };
  }
  return resolveApiUrl(host.apiUrl ?? '');
}

function resolveApiUrl(apiUrl: string): ResolvedHost {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new OneLoginConfigError('the OneLogin apiUrl is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OneLoginConfigError('the OneLogin apiUrl must use https://');
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new OneLoginConfigError(
      'plain http:// is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost); use https:// for OneLogin',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new OneLoginConfigError('the OneLogin apiUrl must not carry a user name or password');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new OneLoginConfigError('the OneLogin apiUrl must not carry a query or fragment');
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  return { baseUrl: `${url.origin}${prefix}`, origin: url.origin };
}
