// Where the local pipeline's plain report copies go (for people to open), and the folder its commands resolve paths in.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORTS_PREFIX } from '../handlers/handler-contract.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The folder the person ran the command in: npm runs scripts in the project root and keeps the caller's in INIT_CWD. */
export function callerDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}

export function reportCopiesDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.LOCAL_REPORTS_DIR ?? path.join(PROJECT_ROOT, 'reports', 'local'));
}

/** The local copy of a report object `reports/<mode>/…`. */
export function reportCopyPath(key: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(reportCopiesDirectory(env), key.slice(REPORTS_PREFIX.length));
}

/** A path as the caller reads it best: relative to where they are, unless that climbs out further than it helps. */
export function shownPath(target: string, env: NodeJS.ProcessEnv = process.env): string {
  const relative = path.relative(callerDirectory(env), target);
  return relative === '' ? '.' : relative.startsWith('../..') ? target : relative;
}
