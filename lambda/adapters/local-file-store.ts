// ObjectStore over a local folder: keys are relative paths. Writes go to a temp file then rename, so a reader never sees half an object.

import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Body, ObjectStore } from '../engine/ports.ts';

export class LocalFileStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file a key maps to; refuses keys that would leave the root. */
  pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    if (key === '' || (full !== this.root && !full.startsWith(this.root + path.sep)) || full === this.root) {
      throw new Error(`object key outside the store: ${JSON.stringify(key)}`);
    }
    return full;
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    return createReadStream(file);
  }

  async put(key: string, body: Body, _contentType?: string): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const data = typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body);
      await writeFile(temp, data);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
