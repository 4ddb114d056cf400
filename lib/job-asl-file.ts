// Where the generated ASL lives and what it must contain: the workflow with the construct's default settings.
import { synthesizeJobAsl } from './job-asl.ts';
import { resolveSettings } from './onelogin-bulk-delete.ts';

export const JOB_ASL_FILE = new URL('../lambda/local/job-state-machine.asl.json', import.meta.url);

/** The file's text: the ASL of a stack deployed with default props, two-space indented, one trailing newline. */
export function defaultJobAsl(): string {
  const settings = resolveSettings({});
  const asl = synthesizeJobAsl({
    waitSecondsDefault: settings.waitSecondsDefault,
    executionTimeout: settings.executionTimeout,
  });
  return `${JSON.stringify(asl, null, 2)}\n`;
}
