// One small job whose report shows every kind of row a reviewer meets: accents, formulas, separators inside values,
// an ambiguous row, an identifier-mismatch row, and usernames that try to inject markup into report.html.
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { Separator } from '../../lambda/engine/input/input-types.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import type { Body } from '../../lambda/engine/ports.ts';
import type { Harness } from '../engine/engine-harness.ts';
import { makeHarness, readReport, runToEnd } from '../engine/engine-harness.ts';

export const SCRIPT_USERNAME = '<script>window.__xss=1</script>';
export const IMG_USERNAME = '"><img src=x onerror="window.__xss=2">';

export const SAMPLE_USERS: ResolvedUser[] = [
  {
    id: 101,
    username: 'françois',
    email: 'francois@example.com',
    name: 'François Dupont',
    status: 1,
    lastLogin: '2026-11-02T08:15:00Z',
  },
  { id: 102, username: 'Müller', email: 'mueller@example.com', name: 'Jürgen Müller', status: 2, lastLogin: null },
  { id: 103, username: '=HYPERLINK("http://evil.example")', email: 'evil@example.com', name: null, status: 3 },
  { id: 104, username: 'semi;colon, comma', email: 'sep@example.com', name: 'Ann "Quote" Lee', status: 1 },
  { id: 105, username: 'twin-a', email: 'twin@example.com', name: 'Twin A', status: 1 },
  { id: 106, username: 'twin-b', email: 'twin@example.com', name: 'Twin B', status: 1 },
  { id: 107, username: SCRIPT_USERNAME, email: 'script@example.com', name: '<b>bold</b>', status: 1 },
  { id: 108, username: IMG_USERNAME, email: 'img@example.com', name: 'Img Probe', status: 1 },
  { id: 109, username: 'owner-of-email', email: 'owner@example.com', name: 'Email Owner', status: 1 },
];

/** Lines 2…: what each row is expected to become (the tests check these lines). */
const ROWS: Array<[id: string, username: string, email: string]> = [
  ['101', '', ''], // 2 would-delete françois
  ['', 'müller', ''], // 3 would-delete Müller (case-insensitive)
  ['103', '', ''], // 4 would-delete, a formula-looking username
  ['', '', 'sep@example.com'], // 5 would-delete, separators in the username
  ['', '', 'twin@example.com'], // 6 ambiguous: 105 and 106
  ['101', '', 'owner@example.com'], // 7 identifier-mismatch: id → 101, email → 109
  ['-5', '', ''], // 8 rejected invalid-id, a formula-looking input
  ['107', '', ''], // 9 would-delete <script>
  ['108', '', ''], // 10 would-delete "><img>
  ['', '', 'nobody@example.com'], // 11 not-found
];

export function sampleCsv(separator: Separator): string {
  const quote = (value: string) => (/[",;\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ['id,username,email'.split(',').join(separator)];
  for (const cells of ROWS) lines.push(cells.map(quote).join(separator));
  return `${lines.join('\r\n')}\r\n`;
}

/** Remembers the content type each object was put with: S3 serves an object with the type it was stored with. */
export class TypedMemoryStore extends MemoryObjectStore {
  readonly contentTypes = new Map<string, string | undefined>();

  override async put(key: string, body: Body, contentType?: string): Promise<void> {
    this.contentTypes.set(key, contentType);
    await super.put(key, body, contentType);
  }
}

export interface SampleRun {
  harness: Harness & { store: TypedMemoryStore };
  csv: string;
  html: string;
}

export async function runSample(separator: Separator): Promise<SampleRun> {
  const harness = makeHarness({ csv: sampleCsv(separator), users: SAMPLE_USERS });
  const store = new TypedMemoryStore();
  harness.store = store;
  harness.deps.store = store;
  await runToEnd(harness);
  readReport(harness);
  const csv = harness.store.text('reports/job-1/report.csv');
  const html = harness.store.text('reports/job-1/report.html');
  if (csv === undefined || html === undefined) throw new Error('the job wrote no report.csv or report.html');
  return { harness: { ...harness, store }, csv, html };
}
