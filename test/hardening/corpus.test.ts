// The bad-input corpus (test/fixtures/corpus/, expected results in expected.json) through the CLI in-process, dry run,
// against the emulator behind a recording proxy: outcome per row, whole-file rejections, encoding and separator, the
// shared invariants, and what reached the server (paths and queries never changed by a cell's characters).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lambda/cli/main.ts';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { CLIENT_ID, CLIENT_SECRET, credentialEnv, makeTempDir, removeDir } from '../cli/cli-harness.ts';
import { capturedCliIo, expectNoSecrets } from './capture.ts';
import { writeGenerated } from './corpus-generators.ts';
import { CORPUS_USERS } from './corpus-tenant.ts';
import type { RecordedRequest, RecordingProxy } from './recording-proxy.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import type { RunReport } from './run-invariants.ts';
import { expectRunInvariants } from './run-invariants.ts';

const CORPUS_DIR = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

interface Expected {
  generated?: boolean;
  status: string;
  exit: number;
  error?: string;
  encoding?: string;
  separator?: string;
  rows?: string[];
}

const manifest = JSON.parse(await readFile(path.join(CORPUS_DIR, 'expected.json'), 'utf8')) as {
  files: Record<string, Expected>;
};
const entries = Object.entries(manifest.files).map(([name, expected]) => ({ name, expected }));

/** Request shapes the client may send; anything else means a cell changed the path or the query. */
const ALLOWED_PATHS = [
  /^\/auth\/oauth2\/v2\/token$/,
  /^\/auth\/rate_limit$/,
  /^\/api\/2\/users$/,
  /^\/api\/2\/users\/[0-9]+$/,
];
const ALLOWED_QUERY_KEYS = new Set(['email', 'username', 'user_ids', 'limit', 'cursor', 'fields']);

function expectWellFormed(requests: readonly RecordedRequest[], label: string): void {
  for (const request of requests) {
    const url = new URL(request.target, 'http://x');
    expect(
      ALLOWED_PATHS.some((pattern) => pattern.test(url.pathname)),
      `${label}: path ${request.target}`,
    ).toBe(true);
    const keys = [...url.searchParams.keys()];
    for (const key of keys)
      expect(ALLOWED_QUERY_KEYS.has(key), `${label}: query key ${key} in ${request.target}`).toBe(true);
    expect(new Set(keys).size, `${label}: repeated query key in ${request.target}`).toBe(keys.length);
  }
}

function rowSpec(row: RunReport['rows'][number]): string {
  if (row.outcome === 'would-delete') return `${row.line} would-delete ${row.user?.id}`;
  return row.reason === undefined ? `${row.line} ${row.outcome}` : `${row.line} ${row.outcome} ${row.reason}`;
}

let emulator: OneLoginEmulator;
let proxy: RecordingProxy;
let workDir: string;
beforeAll(async () => {
  // Pages of 50 (OneLogin's documented default) make a full listing of the 3,000 filler users dearer than one search per
  // value, so every identifier of a file becomes a request whose encoding the proxy can check.
  emulator = await createOneLoginEmulator({
    users: CORPUS_USERS,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    rateLimit: null,
    maxPageSize: 50,
    host: '127.0.0.1',
    port: 0,
  });
  proxy = await startRecordingProxy(emulator.url);
  workDir = await makeTempDir();
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
  if (workDir) await removeDir(workDir);
});

const runs = new Map<string, number>();

async function runFile(
  name: string,
  expected: Expected,
): Promise<{ code: number; report: RunReport | undefined; texts: string[]; requests: RecordedRequest[] }> {
  const file = expected.generated ? await writeGenerated(name, workDir) : path.join(CORPUS_DIR, name);
  // A new folder per run: --report-dir must be empty (a file may be run twice; its first run keeps the plain name).
  const run = (runs.get(name) ?? 0) + 1;
  runs.set(name, run);
  const outDir = path.join(workDir, run === 1 ? `out-${name}` : `out-${name}-${run}`);
  const captured = capturedCliIo(workDir, { ...credentialEnv(), ONELOGIN_API_URL: proxy.url });
  const before = proxy.requests.length;
  const code = await main(['--file', file, '--dry-run', '--report-dir', outDir], captured.io);
  const requests = proxy.requests.slice(before);
  const files = await readdir(outDir).catch(() => [] as string[]);
  const texts = [
    captured.stdout(),
    captured.stderr(),
    ...(await Promise.all(files.map((f) => readFile(path.join(outDir, f), 'utf8')))),
  ];
  const report = files.includes('report.json')
    ? (JSON.parse(await readFile(path.join(outDir, 'report.json'), 'utf8')) as RunReport)
    : undefined;
  return { code, report, texts, requests };
}

describe('bad-input corpus through the CLI (dry run)', () => {
  it('the manifest lists every committed corpus file, and there are at least 40 cases', async () => {
    const onDisk = (await readdir(CORPUS_DIR)).filter((name) => name !== 'expected.json').sort();
    const committed = entries
      .filter((entry) => !entry.expected.generated)
      .map((entry) => entry.name)
      .sort();
    expect(onDisk).toEqual(committed);
    expect(entries.length).toBeGreaterThanOrEqual(40);
  });

  it.each(entries)('$name', async ({ name, expected }) => {
    const { code, report, texts, requests } = await runFile(name, expected);
    const checked = expectRunInvariants({
      report,
      dataRows: expected.status === 'rejected' ? undefined : (expected.rows ?? []).length,
      deletions: emulator.stats().deletions,
      plan: new Set(),
      mode: 'dry-run',
      label: name,
    });
    expect(checked.job.status).toBe(expected.status);
    expect(code).toBe(expected.exit);
    if (expected.error !== undefined) expect(checked.error?.code).toBe(expected.error);
    if (expected.rows !== undefined) expect(checked.rows.map(rowSpec)).toEqual(expected.rows);
    if (expected.encoding !== undefined) expect(checked.input?.encoding).toBe(expected.encoding);
    if (expected.separator !== undefined) expect(checked.input?.separator).toBe(expected.separator);
    if (expected.status === 'rejected')
      expect(requests.filter((request) => !request.target.includes('/token'))).toEqual([]);
    expectWellFormed(requests, name);
    for (const text of texts) expect(text.length, `${name}: output stays small`).toBeLessThan(200_000);
    expectNoSecrets(texts, [CLIENT_SECRET, ...proxy.tokens], name);
  });

  it('URL-significant characters reach the server as one encoded value and never change the path or the query', async () => {
    const { report, requests } = await runFile('url-significant.csv', manifest.files['url-significant.csv']!);
    expect(report?.job.status).toBe('completed');
    const cells = (
      parse(await readFile(path.join(CORPUS_DIR, 'url-significant.csv')), { columns: true }) as Array<
        Record<string, string>
      >
    ).flatMap((row) =>
      [row.username, row.email].filter((value): value is string => value !== undefined && value !== ''),
    );
    const searched: string[] = [];
    for (const request of requests) {
      const url = new URL(request.target, 'http://x');
      for (const key of ['email', 'username']) {
        const value = url.searchParams.get(key);
        if (value !== null) searched.push(value);
      }
      // No cell turned into an id path: the only ids in paths are real user ids asked for by id.
      expect(url.pathname.startsWith('/api/2/users/'), request.target).toBe(false);
    }
    // Each looked-up value arrived exactly as written in the file (one value, nothing split off into other parameters).
    expect(searched.length).toBeGreaterThanOrEqual(8);
    for (const value of searched) expect(cells, `searched ${value}`).toContain(value);
    expect(searched).toEqual(
      expect.arrayContaining([
        'a b?c=d&e#f',
        'x+tag@example.com',
        'a/b/../c',
        '%2F..%2Fadmin',
        'q?x=1@example.com',
        'a&b=c#d@example.com',
        '../../api/2/users/501',
      ]),
    );
  });

  it('report.csv neutralises every cell a spreadsheet would run as a formula', async () => {
    const { report } = await runFile('formula-cells.csv', manifest.files['formula-cells.csv']!);
    expect(report?.summary['would-delete']).toBe(6);
    const csv = await readFile(path.join(workDir, 'out-formula-cells.csv', 'report.csv'), 'utf8');
    const cells = (parse(csv, { relax_column_count: true }) as string[][]).flat();
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(cells).toEqual(
      expect.arrayContaining(['\'=HYPERLINK("http://evil.example/x")', "'+cmd|calc", "'-1+1", "'@SUM(A1)"]),
    );
  });
});
