import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryUserDirectory } from '../../lambda/adapters/in-memory-user-directory.ts';
import { LocalFileStore } from '../../lambda/adapters/local-file-store.ts';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { ObjectStore } from '../../lambda/engine/ports.ts';
import { emptyApiCalls } from '../../lambda/engine/ports.ts';
import { readText } from '../../lambda/engine/store-json.ts';
import { makeUsers } from './engine-harness.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function localStore(): Promise<LocalFileStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'engine-store-'));
  dirs.push(dir);
  return new LocalFileStore(dir);
}

describe.each([
  ['LocalFileStore', localStore],
  ['MemoryObjectStore', async () => new MemoryObjectStore()],
] as const)('%s', (_name, make: () => Promise<ObjectStore>) => {
  it('stores strings, bytes and streamed bodies; a missing key reads as null; delete removes', async () => {
    const store = await make();
    expect(await store.get('a/missing.json')).toBeNull();
    await store.put('a/b/one.txt', 'héllo');
    await store.put('two.bin', new Uint8Array([104, 105]));
    await store.put(
      'a/three.txt',
      (async function* () {
        yield 'x,';
        yield Buffer.from('y\n');
      })(),
    );
    expect(await readText(store, 'a/b/one.txt')).toBe('héllo');
    expect(await readText(store, 'two.bin')).toBe('hi');
    expect(await readText(store, 'a/three.txt')).toBe('x,y\n');
    await store.put('a/b/one.txt', 'replaced');
    expect(await readText(store, 'a/b/one.txt')).toBe('replaced');
    await store.delete('a/b/one.txt');
    await store.delete('a/b/never-there.txt');
    expect(await store.get('a/b/one.txt')).toBeNull();
  });
});

describe('LocalFileStore specifics', () => {
  it('refuses keys that leave its folder', async () => {
    const store = await localStore();
    await expect(store.put('../escape.txt', 'x')).rejects.toThrow(/outside/);
    expect(() => store.pathOf('/etc/passwd')).toThrow(/outside/);
  });

  it('a failing streamed body leaves neither the object nor a temp file', async () => {
    const store = await localStore();
    await store.put('r/report.json', 'old');
    const failing = (async function* () {
      yield 'partial';
      throw new Error('source broke');
    })();
    await expect(store.put('r/report.json', failing)).rejects.toThrow('source broke');
    expect(await readText(store, 'r/report.json')).toBe('old');
    expect(await readdir(path.join(store.root, 'r'))).toEqual(['report.json']);
  });
});

describe('InMemoryUserDirectory', () => {
  it('pages, batches and counts calls like a server', async () => {
    const directory = new InMemoryUserDirectory(makeUsers(25), { pageSize: 10, idBatchSize: 3 });
    const pages = [];
    for await (const page of directory.listAllUsers()) pages.push(page.users.length);
    expect(pages).toEqual([10, 10, 5]);
    expect(await directory.getUsersByIds([1001, 9999, 1003])).toHaveLength(2);
    await expect(directory.getUsersByIds([1, 2, 3, 4])).rejects.toThrow(/more than 3/);
    expect(await directory.findUsers('email', 'USER1002@example.com')).toHaveLength(1);
    expect(await directory.deleteUser(1001)).toBe('deleted');
    expect(await directory.deleteUser(1001)).toBe('absent');
    expect(await directory.countUsers()).toBe(24);
    expect(directory.callCounts()).toEqual({ ...emptyApiCalls(), list: 6, delete: 2 });
    expect(directory.deletedIds).toEqual([1001]);
  });
});
