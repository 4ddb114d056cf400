// Stopping a live run of the real CLI process against the emulator: from the signal on no DELETE arrives that was not
// already sent, the report is written (aborted, exit 3), SIGTERM is named as such, and a second Ctrl-C writes the
// report at once from the saved state, accounting for every deletion the emulator saw.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { credentialEnv, csvOf, emulatorAndFolder, readReport, runCli, writeCsv } from './cli-harness.ts';

async function setup(
  context: TestContext,
  options: Partial<EmulatorOptions>,
): Promise<{ emulator: OneLoginEmulator; dir: string; file: string }> {
  // The listing carries custom attributes and roles: the snapshot needs no read per user, so the run reaches its
  // DELETEs as soon as it did before snapshots (what these tests stop is the deleting).
  const world = await emulatorAndFolder(context, {
    tenant: { seed: 11, count: 100, directoryShare: 0 },
    listIncludesCustomAttributes: true,
    ...options,
  });
  const file = await writeCsv(world.dir, 'users.csv', csvOf(world.emulator.users().slice(0, 60)));
  return { ...world, file };
}

interface SignalPlan {
  /** Sends the signals once this holds. */
  when: () => boolean;
  signals: NodeJS.Signals[];
  gapMs?: number;
}

interface SignalLog {
  /** DELETE arrivals at the emulator when the first signal was sent, and the time of the last signal. */
  deletesAtSignal?: number;
  lastSignalAt?: number;
}

function sendSignals(emulator: OneLoginEmulator, plan: SignalPlan, log: SignalLog): (child: ChildProcess) => void {
  return (child) => {
    const timer = setInterval(() => {
      if (!plan.when()) return;
      clearInterval(timer);
      log.deletesAtSignal = emulator.stats().calls.delete;
      plan.signals.forEach((signal, index) => {
        setTimeout(
          () => {
            child.kill(signal);
            log.lastSignalAt = Date.now();
          },
          index * (plan.gapMs ?? 0),
        );
      });
    }, 5);
    child.on('close', () => clearInterval(timer));
  };
}

/** True once DELETEs have arrived and no more arrived for 300 ms (the calls sent together are all on the wire). */
function deletesSettled(emulator: OneLoginEmulator): () => boolean {
  let last = 0;
  let since = Date.now();
  return () => {
    const now = emulator.stats().calls.delete;
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return now > 0 && Date.now() - since >= 300;
  };
}

/** A rate limit that spaces the calls about half a second apart: DELETEs queue in the client's pacer. */
const PACED: Partial<EmulatorOptions> = { rateLimit: { limit: 10, windowSeconds: 4 } };

const liveArgs = (file: string, reportDir: string, url: string) => [
  '--file',
  file,
  '--live',
  '--yes',
  '--max-percent',
  '100',
  '--api-url',
  url,
  '--report-dir',
  reportDir,
];

describe.concurrent('stopping a live run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`sends no DELETE after ${signal} (those waiting in the pacer are abandoned) and writes an aborted report`, async (context) => {
      const { emulator, dir, file } = await setup(context, PACED);
      const reportDir = path.join(dir, 'out');
      const log: SignalLog = {};

      const run = await runCli(liveArgs(file, reportDir, emulator.url), {
        env: credentialEnv(),
        onStart: sendSignals(emulator, { when: () => emulator.stats().calls.delete >= 2, signals: [signal] }, log),
      });

      expect(run.code).toBe(3);
      expect(emulator.stats().calls.delete).toBe(log.deletesAtSignal);
      const report = await readReport(reportDir);
      expect(report.job.status).toBe('aborted');
      const deleted = report.rows.filter((row) => row.outcome === 'deleted').map((row) => row.user?.id);
      expect(deleted.sort()).toEqual(
        emulator
          .stats()
          .deletions.map((deletion) => deletion.id)
          .sort(),
      );
      const others = report.rows.filter((row) => row.outcome !== 'deleted');
      expect(others.length).toBeGreaterThan(0);
      expect(others.every((row) => row.outcome === 'failed' && row.reason === 'aborted')).toBe(true);
      const label = signal === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C';
      expect(run.stderr).toContain(`${label} received`);
      expect(JSON.stringify(report)).toContain(signal === 'SIGTERM' ? 'stopped by SIGTERM' : '(Ctrl-C)');
      if (signal === 'SIGTERM') expect(JSON.stringify(report)).not.toContain('Ctrl-C');
    });
  }

  it('writes the report within about 2 s of a second Ctrl-C, accounting for every deletion the emulator saw', async (context) => {
    // Every answer takes 6 s: at the first Ctrl-C DELETEs are on the wire, and waiting for them would take seconds.
    const { emulator, dir, file } = await setup(context, { faults: { seed: 3, slowRate: 1, slowMs: 6000 } });
    const reportDir = path.join(dir, 'out');
    const log: SignalLog = {};

    const run = await runCli(liveArgs(file, reportDir, emulator.url), {
      env: credentialEnv(),
      onStart: sendSignals(
        emulator,
        { when: deletesSettled(emulator), signals: ['SIGINT', 'SIGINT'], gapMs: 200 },
        log,
      ),
    });
    const exitedAt = Date.now();

    expect(run.code).toBe(3);
    expect(exitedAt - (log.lastSignalAt ?? 0)).toBeLessThan(4000);
    expect(emulator.stats().calls.delete).toBe(log.deletesAtSignal);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('aborted');
    // Let the DELETEs that were on the wire finish at the emulator, then hold the report against them.
    await new Promise((resolve) => setTimeout(resolve, 6500));
    const byUser = new Map(report.rows.map((row) => [row.user?.id, row]));
    const seen = emulator.stats().deletions.map((deletion) => deletion.id);
    expect(seen.length).toBeGreaterThan(0);
    for (const id of seen) {
      const row = byUser.get(id);
      const accounted =
        row?.outcome === 'deleted' || (row?.outcome === 'failed' && /may be deleted/.test(row.message ?? ''));
      expect(accounted, `user ${id}: ${row?.outcome} ${row?.message}`).toBe(true);
    }
    expect(run.stderr).toMatch(/Writing the report now/);
  }, 60_000);
});
