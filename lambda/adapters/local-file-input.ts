// InputSource over a file on the local disk (the CLI's --file).
import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { InputSource } from '../engine/ports.ts';

export class LocalFileInput implements InputSource {
  constructor(
    readonly path: string,
    readonly name: string = path,
  ) {}

  /** Throws a readable message when the path is missing, not a file, or unreadable. */
  async check(): Promise<void> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.path);
    } catch (error) {
      throw new Error(`cannot read ${this.path}: ${describeFsError(error)}`);
    }
    if (!info.isFile()) throw new Error(`cannot read ${this.path}: not a file`);
    try {
      await access(this.path, constants.R_OK);
    } catch (error) {
      throw new Error(`cannot read ${this.path}: ${describeFsError(error)}`);
    }
  }

  async open(): Promise<AsyncIterable<Uint8Array>> {
    const stream = createReadStream(this.path);
    // Surface open errors (ENOENT, EACCES) here instead of on the first read.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'not a file';
  return error instanceof Error ? error.message : String(error);
}
