// Asks on the terminal whether to go ahead; only the word "yes" agrees (Ctrl-C, end of input or anything else declines).
import { createInterface } from 'node:readline';

export async function askYes(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<boolean> {
  if (signal?.aborted) return false;
  const rl = createInterface({ input, output, terminal: false });
  try {
    return await new Promise<boolean>((resolve) => {
      let settled = false;
      const settle = (answer: boolean) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(answer);
      };
      const onAbort = () => settle(false);
      signal?.addEventListener('abort', onAbort);
      rl.on('SIGINT', () => settle(false));
      rl.on('close', () => settle(false));
      rl.once('line', (line) => settle(line.trim().toLowerCase() === 'yes'));
      output.write(question);
    });
  } finally {
    rl.close();
  }
}
