// Tests that drive a real program (LibreOffice, Chromium). In CI a missing program fails the test: the .ci/run installs
// them, so a skip there would hide a broken install. On a developer's machine the test is skipped, saying why.
import { execFileSync } from 'node:child_process';
import { it } from 'vitest';

export function findProgram(name: string): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

export type ProgramTest = (name: string, body: () => Promise<void> | void) => void;

/** `it`, or, when the program is missing: a failing test in CI, a skipped one (with the install line) elsewhere. */
export function itWithProgram(program: string | undefined, install: string): ProgramTest {
  if (program !== undefined) return (name, body) => it(name, body);
  const message = `not installed; install it with: ${install}`;
  if (process.env.CI) {
    return (name) =>
      it(name, () => {
        throw new Error(message);
      });
  }
  console.warn(`skipping: ${message}`);
  return (name, body) => it.skip(name, body);
}
