// Everything the command touches outside itself, so that tests can drive it in-process; processIo is the real one.
import type { Env } from './cli-option-spec.ts';

type OutStream = NodeJS.WritableStream & { isTTY?: boolean };
type InStream = NodeJS.ReadableStream & { isTTY?: boolean };

export type StopSignalName = 'SIGINT' | 'SIGTERM';

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Env;
  cwd: string;
  /** Standard input is a terminal: a live run asks for a typed yes (the prompt goes to stderr, whatever stdout is). */
  stdinIsTerminal: boolean;
  /** Standard error is a terminal: a progress bar instead of plain lines. */
  stderrIsTerminal: boolean;
  /** Calls handler on Ctrl-C (SIGINT) or SIGTERM, with its name; returns a function that stops listening. */
  onInterrupt(handler: (signal?: StopSignalName) => void): () => void;
  /** Quits at once: only after a hurried stop has written its report (calls on the wire would keep the process). */
  forceExit(code: number): void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    stdinIsTerminal: process.stdin.isTTY === true,
    stderrIsTerminal: process.stderr.isTTY === true,
    onInterrupt(handler) {
      const onSigint = () => handler('SIGINT');
      const onSigterm = () => handler('SIGTERM');
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      return () => {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      };
    },
    forceExit(code) {
      // A pipe on stdout is written asynchronously: exit once what was written has gone out.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
