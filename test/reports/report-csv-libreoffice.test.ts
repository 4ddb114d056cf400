// report.csv as a user sees it: opened by LibreOffice Calc (headless, converting to a flat .fods whose cells are read
// back), with the separator and encoding a user picks in Calc's text import for the input's separator.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Separator } from '../../lambda/engine/input/input-types.ts';
import { findProgram, itWithProgram } from './external-tool.ts';
import type { SheetCell } from './flat-ods.ts';
import { sheetRows } from './flat-ods.ts';
import { runSample } from './report-sample.ts';

const run = promisify(execFile);
const soffice = findProgram('soffice');
const itCalc = itWithProgram(soffice, 'apt-get update && apt-get install -y --no-install-recommends libreoffice-calc');

const COLUMNS =
  'line outcome reason id username email user_id user_username user_email user_name user_status user_last_login message'.split(
    ' ',
  );
/** LibreOffice's CSV filter options: separator, text delimiter ("), character set 76 = UTF-8, start at line 1. */
const FILTER: Record<Separator, string> = { ',': 'CSV:44,34,76,1', ';': 'CSV:59,34,76,1', '\t': 'CSV:9,34,76,1' };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'report-calc-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Opens `csv` in Calc and returns its cells; a profile of its own, so parallel runs never share one. */
async function openInCalc(name: string, csv: string, separator: Separator): Promise<SheetCell[][]> {
  const file = join(work, `${name}.csv`);
  await writeFile(file, csv, 'utf8');
  const profile = pathToFileURL(join(work, `profile-${name}`)).href;
  await run(
    soffice as string,
    [
      `-env:UserInstallation=${profile}`,
      '--headless',
      `--infilter=${FILTER[separator]}`,
      '--convert-to',
      'fods',
      '--outdir',
      work,
      file,
    ],
    { timeout: 120_000 },
  );
  return sheetRows(await readFile(join(work, `${name}.fods`), 'utf8'));
}

function column(rows: SheetCell[][], line: number, name: string): string {
  const row = rows.find((cells) => cells[0]?.text === String(line));
  return row?.[COLUMNS.indexOf(name)]?.text ?? '';
}

describe.each([
  { name: 'comma', separator: ',' as Separator },
  { name: 'semicolon', separator: ';' as Separator },
])('report.csv of a $name input in LibreOffice Calc', ({ name, separator }) => {
  itCalc('shows every value in its own cell, accents intact, no formula', async () => {
    const { csv } = await runSample(separator);
    const rows = await openInCalc(name, csv, separator);
    expect(rows[0]?.map((cell) => cell.text)).toEqual(COLUMNS);
    expect(rows).toHaveLength(11);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(COLUMNS.length);
    expect(column(rows, 2, 'user_username')).toBe('françois');
    expect(column(rows, 2, 'user_name')).toBe('François Dupont');
    expect(column(rows, 3, 'username')).toBe('müller');
    expect(column(rows, 3, 'user_name')).toBe('Jürgen Müller');
    expect(column(rows, 3, 'user_status')).toBe('suspended');
    expect(column(rows, 5, 'user_username')).toBe('semi;colon, comma');
    expect(column(rows, 5, 'user_name')).toBe('Ann "Quote" Lee');
    expect(column(rows, 4, 'user_username')).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(column(rows, 6, 'message')).toMatch(/candidates: 105, 106$/);
    expect(column(rows, 9, 'user_username')).toBe('<script>window.__xss=1</script>');
    const formulas = rows.flat().filter((cell) => cell.formula !== undefined);
    expect(formulas).toEqual([]);
  });
});

describe('the formula check itself', () => {
  itCalc('sees the formula Calc makes of a cell that is not neutralised', async () => {
    const rows = await openInCalc('control', 'a;b\r\n=1+1;x\r\n', ';');
    expect(rows[1]?.[0]).toEqual({ text: '2', formula: 'of:=1+1' });
  });
});
