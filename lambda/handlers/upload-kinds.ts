// The one place that maps an uploaded key to what it runs (docs/s3-layout.md): its prefix and ending give the mode, the
// action and the reports folder. Every other rule (job ids, report and snapshot prefixes, the plan binding, refusals,
// notifications, IAM, lifecycle) reads this table.
import type { Action, Mode } from '../engine/outcomes.ts';

/** The top-level folders an upload may start a run from; `reports/<folder>/…` mirrors them. */
export const INPUT_FOLDERS = {
  'dry-run': 'dry-run/',
  live: 'live/',
  suspend: 'suspend/',
  restore: 'restore/',
} as const;
export type InputFolder = keyof typeof INPUT_FOLDERS;

export const CSV_SUFFIX = '.csv';
/** A snapshot (snapshot.jsonl, or any subset of its lines) is what a restore reads. */
export const SNAPSHOT_SUFFIX = '.jsonl';
export type InputSuffix = typeof CSV_SUFFIX | typeof SNAPSHOT_SUFFIX;

export interface UploadKind {
  folder: InputFolder;
  suffix: InputSuffix;
  mode: Mode;
  action: Action;
}

/** Every accepted (folder, ending); anything else under an input folder is refused with a report (refused-upload.ts). */
export const UPLOAD_KINDS: readonly UploadKind[] = [
  { folder: 'dry-run', suffix: CSV_SUFFIX, mode: 'dry-run', action: 'delete' },
  { folder: 'dry-run', suffix: SNAPSHOT_SUFFIX, mode: 'dry-run', action: 'restore' },
  { folder: 'live', suffix: CSV_SUFFIX, mode: 'live', action: 'delete' },
  { folder: 'suspend', suffix: CSV_SUFFIX, mode: 'live', action: 'suspend' },
  { folder: 'restore', suffix: SNAPSHOT_SUFFIX, mode: 'live', action: 'restore' },
];

/** The input folder a key lies under (whatever its ending), or undefined. */
export function inputFolderOf(key: string): InputFolder | undefined {
  return (Object.keys(INPUT_FOLDERS) as InputFolder[]).find((folder) => key.startsWith(INPUT_FOLDERS[folder]));
}

/** What a key runs, or undefined when it is not an input file (wrong folder, or an ending its folder does not take). */
export function uploadKindOf(key: string): UploadKind | undefined {
  const folder = inputFolderOf(key);
  if (folder === undefined) return undefined;
  return UPLOAD_KINDS.find((kind) => kind.folder === folder && key.endsWith(kind.suffix));
}

/** The endings a folder takes, for refusal messages. */
export function suffixesOf(folder: InputFolder): InputSuffix[] {
  return UPLOAD_KINDS.filter((kind) => kind.folder === folder).map((kind) => kind.suffix);
}

/** The key's name inside its folder, without the folder and the ending: `suspend/a/b.csv` → `a/b`. */
export function innerNameOf(key: string, kind: UploadKind): string {
  return key.slice(INPUT_FOLDERS[kind.folder].length, key.length - kind.suffix.length);
}

/** Only live runs that delete or suspend change users in a way a snapshot undoes. */
export function writesSnapshot(kind: Pick<UploadKind, 'mode' | 'action'>): boolean {
  return kind.mode === 'live' && kind.action !== 'restore';
}
