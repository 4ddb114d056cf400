// Dry run or live: --dry-run, --live or the old form's dry_run=; dry run unless one asks for live.
import type { Mode } from '../engine/outcomes.ts';

export function resolveMode(
  dryRunFlag: boolean,
  liveFlag: boolean,
  oldDryRun: string | undefined,
  errors: string[],
): Mode | undefined {
  let oldMode: Mode | undefined;
  if (oldDryRun !== undefined) {
    const normalized = oldDryRun.trim().toLowerCase();
    if (normalized === 'true') oldMode = 'dry-run';
    else if (normalized === 'false') oldMode = 'live';
    else {
      errors.push(`dry_run= must be true or false, not '${oldDryRun}'`);
      return undefined;
    }
  }
  const requested: Array<[string, Mode]> = [];
  if (dryRunFlag) requested.push(['--dry-run', 'dry-run']);
  if (liveFlag) requested.push(['--live', 'live']);
  if (oldMode) requested.push([`dry_run=${oldDryRun}`, oldMode]);
  if (requested.length > 1) {
    errors.push(`choose one mode: ${requested.map(([name]) => name).join(' and ')} were both given`);
    return undefined;
  }
  return requested[0]?.[1] ?? 'dry-run';
}
