// What a run does to the users it plans (docs/cli.md, docs/undo.md): delete them (default), suspend them (--suspend) or
// restore them from a snapshot (--restore SNAPSHOT), with the options that belong to one action only. Contradictory
// combinations are refused here, before anything is read or looked up.
import type { Action } from '../engine/outcomes.ts';
import { parseChoiceSetting } from '../settings/choice-setting.ts';
import type { SnapshotDetail } from '../settings/undo-settings.ts';
import { DELETE_ONLY_SUSPENDED, SNAPSHOT_DETAIL } from '../settings/undo-settings.ts';
import type { OptionValues } from './cli-option-spec.ts';

export interface CliActionOptions {
  action: Action;
  /** --only-suspended: a deletion is refused for a user who is not suspended at delete time (`not-suspended`). */
  onlySuspended: boolean;
  /** --snapshot full|basic; absent: the engine's default (full). */
  snapshot?: SnapshotDetail;
}

export interface ActionChoice extends CliActionOptions {
  /** --restore SNAPSHOT: the snapshot file, which takes the place of --file. */
  restoreFile?: string;
}

/** `fileGiven`: --file or the old form's file= was given (a restore reads its snapshot instead). */
export function readAction(
  values: OptionValues,
  fileGiven: boolean,
  errors: string[],
  warnings: string[],
): ActionChoice {
  const suspend = values.suspend === true;
  const restoreFile = values.restore;
  const onlySuspended = values['only-suspended'] === true;
  if (restoreFile !== undefined && restoreFile.trim() === '')
    errors.push('--restore needs the path of a snapshot.jsonl');
  if (suspend && restoreFile !== undefined) {
    errors.push(
      '--suspend and --restore were both given: a run either suspends the users of a CSV or restores a snapshot',
    );
  }
  if (restoreFile !== undefined && fileGiven) {
    errors.push('--restore reads its snapshot instead of a CSV: leave out --file (and file=)');
  }
  if (onlySuspended && (suspend || restoreFile !== undefined)) {
    errors.push(
      `${DELETE_ONLY_SUSPENDED.flag} guards deletions (only users already suspended are deleted): it cannot be given with ${suspend ? '--suspend' : '--restore'}`,
    );
  }
  const snapshot = readSnapshotDetail(values.snapshot, restoreFile !== undefined, errors);
  if (snapshot !== undefined && values.live !== true && values['dry-run'] === true) {
    warnings.push(`${SNAPSHOT_DETAIL.flag} has no effect on a dry run: only a live run writes snapshot.jsonl`);
  }
  const action: Action = restoreFile !== undefined ? 'restore' : suspend ? 'suspend' : 'delete';
  return {
    action,
    onlySuspended,
    ...(snapshot !== undefined ? { snapshot } : {}),
    ...(restoreFile !== undefined && restoreFile.trim() !== '' ? { restoreFile: restoreFile.trim() } : {}),
  };
}

function readSnapshotDetail(raw: string | undefined, restoring: boolean, errors: string[]): SnapshotDetail | undefined {
  if (raw === undefined) return undefined;
  if (restoring) {
    errors.push(`${SNAPSHOT_DETAIL.flag} sets what a deletion or suspension keeps: a restore writes no snapshot`);
    return undefined;
  }
  const parsed = parseChoiceSetting(SNAPSHOT_DETAIL, raw, SNAPSHOT_DETAIL.flag);
  if (parsed.ok) return parsed.value;
  errors.push(parsed.problem);
  return undefined;
}
