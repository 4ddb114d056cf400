// Everything the command touches outside itself, so that tests can drive it in-process; processIo is the real one.
import type { Env } from './cli-option-spec.ts';

type OutStream = NodeJS.WritableStream & { isTTY?: boolean };
type InStream = NodeJS.ReadableStream & { isTTY?: boolean };

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Env;
  cwd: string;
  /** A terminal on both ends: progress bar and confirmation prompt. */
  interactive: boolean;
  /** Calls handler on Ctrl-C; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Quits at once (second Ctrl-C). */
  forceExit(code: number): void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: process.stdout.isTTY === true && process.stdin.isTTY === true,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
    forceExit(code) {
      process.exit(code);
    },
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
