// A Logger for the local environment: one line per message on stderr, below a chosen level nothing.
import type { Logger } from '../engine/ports.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number] | 'silent';

export function createConsoleLogger(
  minimum: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  const threshold = minimum === 'silent' ? LEVELS.length : LEVELS.indexOf(minimum);
  const at =
    (level: (typeof LEVELS)[number]) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS.indexOf(level) < threshold) return;
      write(`[${level}] ${message}${fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
