// JSON objects in an ObjectStore.
import type { ObjectStore } from './ports.ts';

export async function readText(store: ObjectStore, key: string): Promise<string | undefined> {
  const body = await store.get(key);
  if (!body) return undefined;
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

export async function readJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const text = await readText(store, key);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, JSON.stringify(value), 'application/json');
}
