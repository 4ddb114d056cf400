// The report folder as the engine's store: it writes only files that are new or its own from this run, and deletes
// only its own. A file it did not write (an input file, an earlier report) is never overwritten or deleted.
import { existsSync } from 'node:fs';
import type { LocalFileStore } from '../adapters/local-file-store.ts';
import type { Body, ObjectStore } from '../engine/ports.ts';

export class OwnFilesStore implements ObjectStore {
  private readonly written = new Set<string>();

  constructor(private readonly folder: LocalFileStore) {}

  get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    return this.folder.get(key);
  }

  async put(key: string, body: Body, contentType?: string): Promise<void> {
    if (!this.written.has(key) && existsSync(this.folder.pathOf(key)))
      throw new Error(`refusing to overwrite ${this.folder.pathOf(key)}: this run did not write it`);
    this.written.add(key);
    await this.folder.put(key, body, contentType);
  }

  /** Deletes only what this run wrote: the engine's clean-up of a stale file is someone else's file here. */
  async delete(key: string): Promise<void> {
    if (!this.written.has(key)) return;
    this.written.delete(key);
    await this.folder.delete(key);
  }
}
