// `npm start` end to end: the real entry point in a child process.
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsx } from './run-command.ts';

describe('npm start', () => {
  let reportsDirectory: string | undefined;
  afterAll(async () => {
    if (reportsDirectory) await rm(reportsDirectory, { recursive: true, force: true });
  });

  it('runs the sample dry run then live, exits 0 and prints where the reports are', async () => {
    reportsDirectory = await mkdtemp(path.join(tmpdir(), 'onelogin-start-'));
    const { code, stdout, stderr } = await runTsx(
      'lambda/local/start.ts',
      [],
      { LOCAL_REPORTS_DIR: reportsDirectory },
      50_000,
    );
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    // 37 of the 38 users named once are deleted: line 20's user is synced from a directory (directory-managed).
    expect(stdout).toMatch(/dry run completed: 45 rows — would-delete 37/);
    expect(stdout).toMatch(/live run completed: 45 rows — deleted 37/);
    expect(stdout).toMatch(/users in the emulator: 2004 before, 1967 after/);

    const s3Keys = [...stdout.matchAll(/s3:\/\/\S+\/(reports\/\S+\/report\.(?:json|csv))/g)].map((match) => match[1]);
    const localPaths = [...stdout.matchAll(/→ (\S.*report\.(?:json|csv))$/gm)].map((match) => match[1]!);
    expect(s3Keys.filter((key) => key?.startsWith('reports/dry-run/demo-users/'))).toHaveLength(2);
    expect(s3Keys.filter((key) => key?.startsWith('reports/live/demo-users/'))).toHaveLength(2);
    expect(localPaths).toHaveLength(4);
    for (const printed of localPaths) {
      const file = path.resolve(printed);
      expect(file.startsWith(reportsDirectory)).toBe(true);
      await access(file);
    }
    const liveJson = localPaths.find(
      (file) => file.includes(`${path.sep}live${path.sep}`) && file.endsWith('report.json'),
    );
    expect(JSON.parse(await readFile(path.resolve(liveJson!), 'utf8'))).toMatchObject({
      job: { mode: 'live', status: 'completed' },
    });
  });

  it('serve with its port taken says so in one line, with how to choose others, and exits 2', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await runTsx(
        'lambda/local/start.ts',
        ['serve'],
        { LOCAL_S3_PORT: String(port), LOCAL_EMULATOR_PORT: '0' },
        30_000,
      );
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`port ${port} is already in use.*LOCAL_S3_PORT=.*npm start -- serve`));
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stdout).not.toContain('is running');
    } finally {
      holder.close();
    }
  });
});
