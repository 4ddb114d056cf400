// ObjectStore held in memory: for tests and for runs that keep nothing on disk.
import type { Body, ObjectStore } from '../engine/ports.ts';

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();

  async get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    const bytes = this.objects.get(key);
    if (!bytes) return null;
    return (async function* () {
      yield bytes;
    })();
  }

  async put(key: string, body: Body, _contentType?: string): Promise<void> {
    this.objects.set(key, await bodyBytes(body));
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  has(key: string): boolean {
    return this.objects.has(key);
  }

  /** The object as UTF-8 text, or undefined when missing. */
  text(key: string): string | undefined {
    const bytes = this.objects.get(key);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
  }
}

export async function bodyBytes(body: Body): Promise<Uint8Array> {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part));
  return Buffer.concat(parts);
}
