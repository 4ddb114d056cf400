// JSON objects in an ObjectStore.
import type { ObjectStore } from './ports.ts';

export async function readText(store: ObjectStore, key: string): Promise<string | undefined> {
  const body = await store.get(key);
  if (!body) return undefined;
  const parts: Uint8Array[] = [];
  // Some stores' streams hand out strings despite the port's type.
  for await (const part of body) parts.push(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  // A view, not a copy: the bytes are only decoded.
  if (parts.length === 1) return bytesView(parts[0] as Uint8Array).toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

export async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const text = await readText(store, key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, JSON.stringify(value), 'application/json');
}

function bytesView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
