// Where a CLI run writes its reports: --report-dir as given, or a new
// ./reports/<YYYYMMDD-HHMMSS>-<mode>[-suspend|-restore]-<basename>/.
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Action, Mode } from '../engine/outcomes.ts';

export function defaultReportFolderName(
  startedAt: Date,
  mode: Mode,
  inputPath: string,
  action: Action = 'delete',
): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp =
    `${startedAt.getFullYear()}${pad(startedAt.getMonth() + 1)}${pad(startedAt.getDate())}` +
    `-${pad(startedAt.getHours())}${pad(startedAt.getMinutes())}${pad(startedAt.getSeconds())}`;
  const base = path.basename(inputPath).replace(/\.(csv|jsonl)$/i, '');
  const safeBase =
    base
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[.]+/, '')
      .slice(0, 80) || 'input';
  const kind = action === 'delete' ? mode : `${mode}-${action}`;
  return `${stamp}-${kind}-${safeBase}`;
}

/** --report-dir names a folder that holds something: an existing report is never overwritten (exit 2). */
export class ReportFolderNotEmptyError extends Error {
  override readonly name = 'ReportFolderNotEmptyError';
  constructor(readonly dir: string) {
    super(
      `--report-dir ${dir} is not empty: a report folder must be new or empty, so that no earlier report or other file is overwritten; choose another folder or leave --report-dir out`,
    );
  }
}

/**
 * Creates the folder. --report-dir must be absent or empty (ReportFolderNotEmptyError otherwise). A default folder that
 * already exists (two runs in one second) gets a -2, -3, … suffix.
 */
export async function createReportFolder(options: {
  reportDir?: string;
  cwd: string;
  startedAt: Date;
  mode: Mode;
  action?: Action;
  inputPath: string;
}): Promise<{ dir: string; created: boolean }> {
  if (options.reportDir !== undefined) {
    const dir = path.resolve(options.cwd, options.reportDir);
    const created = (await mkdir(dir, { recursive: true })) !== undefined;
    if (!created && (await readdir(dir)).length > 0) throw new ReportFolderNotEmptyError(dir);
    return { dir, created };
  }
  const parent = path.resolve(options.cwd, 'reports');
  await mkdir(parent, { recursive: true });
  const name = defaultReportFolderName(options.startedAt, options.mode, options.inputPath, options.action);
  for (let attempt = 1; ; attempt += 1) {
    const dir = path.join(parent, attempt === 1 ? name : `${name}-${attempt}`);
    try {
      await mkdir(dir);
      return { dir, created: true };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}
