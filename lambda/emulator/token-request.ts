// Reading a token request: the three documented ways to send client credentials, and grant_type.

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenRequest {
  credentials: ClientCredentials | undefined;
  grantType: string | undefined;
}

/** `client_id:<id>, client_secret:<secret>` (space optional) or HTTP Basic. */
export function credentialsFromHeader(authorization: string | undefined): ClientCredentials | undefined {
  if (authorization === undefined) return undefined;
  const pair = /^\s*client_id:\s*([^,]*?)\s*,\s*client_secret:\s*(.*?)\s*$/i.exec(authorization);
  if (pair) return { clientId: pair[1] ?? '', clientSecret: pair[2] ?? '' };
  const basic = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
  }
  return undefined;
}

export function parseTokenRequest(
  authorization: string | undefined,
  contentType: string | undefined,
  body: string,
  allowFormCredentials: boolean,
): TokenRequest {
  const headerCredentials = credentialsFromHeader(authorization);
  if ((contentType ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    const formCredentials =
      allowFormCredentials && clientId !== null && clientSecret !== null ? { clientId, clientSecret } : undefined;
    return { credentials: headerCredentials ?? formCredentials, grantType: form.get('grant_type') ?? undefined };
  }
  return { credentials: headerCredentials, grantType: jsonGrantType(body) };
}

function jsonGrantType(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'grant_type' in parsed) {
      const grantType = (parsed as { grant_type: unknown }).grant_type;
      return typeof grantType === 'string' ? grantType : undefined;
    }
  } catch {
    // A body that is not JSON has no grant_type: answered as a bad request.
  }
  return undefined;
}

/** `bearer:<t>`, `bearer <t>`, `Bearer <t>`. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^\s*bearer\s*[:\s]\s*(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}
