// The baseline: what a `delete_users.rb`-style script does. One token, then per row, strictly one after another:
// one lookup (GET /api/2/users/:id, or a search by email or username) and, on a live run, one DELETE when the lookup
// found exactly one user. No batching, no listing, no pacing.
import { Agent, request } from 'undici';
import { BENCH_CREDENTIALS } from './bench-env.ts';
import type { FileRow } from './csv-files.ts';

export interface BaselineResult {
  rows: number;
  deleted: number;
  elapsedMs: number;
}

export async function runBaseline(apiUrl: string, rows: readonly FileRow[], live: boolean): Promise<BaselineResult> {
  const dispatcher = new Agent({ connections: 1 });
  const started = performance.now();
  let deleted = 0;
  try {
    const token = await fetchToken(apiUrl, dispatcher);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    for (const row of rows) {
      const id = await lookUp(apiUrl, dispatcher, headers, row);
      if (id === undefined || !live) continue;
      const response = await request(`${apiUrl}/api/2/users/${id}`, { method: 'DELETE', headers, dispatcher });
      await response.body.dump();
      if (response.statusCode === 204 || response.statusCode === 200) deleted += 1;
    }
  } finally {
    await dispatcher.close();
  }
  return { rows: rows.length, deleted, elapsedMs: performance.now() - started };
}

async function fetchToken(apiUrl: string, dispatcher: Agent): Promise<string> {
  const basic = Buffer.from(`${BENCH_CREDENTIALS.clientId}:${BENCH_CREDENTIALS.clientSecret}`).toString('base64');
  const response = await request(`${apiUrl}/auth/oauth2/v2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
    dispatcher,
  });
  const body = (await response.body.json()) as { access_token?: string };
  if (response.statusCode !== 200 || typeof body.access_token !== 'string')
    throw new Error(`baseline: token request answered ${response.statusCode}`);
  return body.access_token;
}

/** The user's id when the row's lookup finds exactly one user. */
async function lookUp(
  apiUrl: string,
  dispatcher: Agent,
  headers: Record<string, string>,
  row: FileRow,
): Promise<number | undefined> {
  if (row.id !== undefined) {
    const response = await request(`${apiUrl}/api/2/users/${row.id}`, { headers, dispatcher });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return undefined;
    }
    const user = (await response.body.json()) as { id?: number };
    return user.id;
  }
  const query = new URLSearchParams(row.email !== undefined ? { email: row.email } : { username: row.username ?? '' });
  const response = await request(`${apiUrl}/api/2/users?${query.toString()}`, { headers, dispatcher });
  if (response.statusCode !== 200) {
    await response.body.dump();
    return undefined;
  }
  const users = (await response.body.json()) as Array<{ id: number }>;
  return users.length === 1 ? users[0]?.id : undefined;
}
