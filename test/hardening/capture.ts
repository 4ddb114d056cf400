// Capturing everything a run lets out (logs, CLI streams) and scanning it for secret values.
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import type { CliIo } from '../../lambda/cli/main.ts';
import type { Logger } from '../../lambda/engine/ports.ts';

export interface CapturedLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

export function capturingLogger(): { logger: Logger; lines: CapturedLine[]; text: () => string } {
  const lines: CapturedLine[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    text: () => lines.map((line) => `${line.level} ${line.message} ${safeStringify(line.fields)}`).join('\n'),
  };
}

export interface CapturedCli {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
}

/** A non-interactive io for main(): no terminal, no prompt, streams captured. */
export function capturedCliIo(cwd: string, env: Record<string, string>): CapturedCli {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return { stream, text: () => text };
  };
  const out = capture();
  const err = capture();
  return {
    io: {
      stdout: out.stream,
      stderr: err.stream,
      stdin: new PassThrough(),
      env,
      cwd,
      stdinIsTerminal: false,
      stderrIsTerminal: false,
      onInterrupt: () => () => undefined,
      forceExit(code) {
        throw new Error(`forceExit(${code}) called`);
      },
    },
    stdout: out.text,
    stderr: err.text,
  };
}

/** No secret value, in any of the forms it could leak in, appears in the texts. */
export function expectNoSecrets(texts: readonly string[], secrets: Iterable<string>, label: string): void {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 6) throw new Error(`secret too short to scan for: ${label}`);
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString('base64'));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  for (const text of texts) {
    for (const form of forms) expect(text.includes(form), `${label}: a secret value leaked`).toBe(false);
  }
}

export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
