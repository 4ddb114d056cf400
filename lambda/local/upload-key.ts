// `npm run local -- upload FILE [--live | --suspend]`: the key a local file is uploaded under, read from the file's
// ending and the flag, through the same table as the handlers (upload-kinds.ts): a .csv goes to dry-run/ (or live/,
// suspend/), a snapshot (.jsonl) to dry-run/ (a restore dry run) or, with --live, to restore/.
import { REPORTS_PREFIX } from '../handlers/handler-contract.ts';
import { reportFolderFor } from '../handlers/job-naming.ts';
import type { InputFolder } from '../handlers/upload-kinds.ts';
import { CSV_SUFFIX, INPUT_FOLDERS, SNAPSHOT_SUFFIX } from '../handlers/upload-kinds.ts';
import { ACCOUNT_NAME_PATTERN } from '../settings/accounts-setting.ts';

export interface UploadTarget {
  key: string;
  /** Where the run's reports will appear (`reports/<folder>/<name>/`). */
  reportFolder: string;
  contentType: string;
}

/** `account`: the account folder of a pipeline serving several accounts (`dry-run/<account>/<file>`). */
export function uploadTargetFor(
  fileName: string,
  flags: { live: boolean; suspend: boolean },
  account?: string,
): UploadTarget {
  const folder = folderFor(fileName, flags);
  if (account !== undefined && !ACCOUNT_NAME_PATTERN.test(account)) {
    throw new Error(`--account ${account}: an account name is a folder matching ${ACCOUNT_NAME_PATTERN.source}`);
  }
  const key = `${INPUT_FOLDERS[folder]}${account === undefined ? '' : `${account}/`}${fileName}`;
  const reportFolder = reportFolderFor(key);
  if (!reportFolder.startsWith(REPORTS_PREFIX)) throw new Error(`unexpected report folder ${reportFolder}`);
  return { key, reportFolder, contentType: fileName.endsWith(SNAPSHOT_SUFFIX) ? 'application/x-ndjson' : 'text/csv' };
}

function folderFor(fileName: string, { live, suspend }: { live: boolean; suspend: boolean }): InputFolder {
  if (live && suspend) throw new Error('--live and --suspend were both given: --suspend already runs live');
  if (fileName.endsWith(SNAPSHOT_SUFFIX)) {
    if (suspend)
      throw new Error('--suspend takes a CSV of users; a snapshot (.jsonl) is restored (--live) or tried (no flag)');
    return live ? 'restore' : 'dry-run';
  }
  if (!fileName.endsWith(CSV_SUFFIX)) {
    throw new Error(
      'the file name must end with .csv (users) or .jsonl (a snapshot to restore): only such uploads start a run',
    );
  }
  if (suspend) return 'suspend';
  return live ? 'live' : 'dry-run';
}
