// A restore never claims a full undo (docs/restore.md): report.json and report.html say what cannot come back.
import { describe, expect, it } from 'vitest';
import { makeHarness, readReport, runToEnd } from '../engine/engine-harness.ts';
import { jsonl, people, recordOf, restoreHarness, snapshotLine } from './restore-harness.ts';

describe('what a restore report says cannot come back', () => {
  it('lists the old id, the password, MFA factors, sign-in history and app-side accounts', async () => {
    const { users, extras } = people(1);
    const h = restoreHarness({ snapshot: jsonl([snapshotLine(recordOf(users[0]!, extras.get(1001)))]) });
    await runToEnd(h);
    const notices = (readReport(h).notices ?? []).join(' ');
    for (const topic of [
      /old id/,
      /password/,
      /MFA factors/,
      /sign-in history/,
      /App-side accounts/,
      /not a full undo/,
    ])
      expect(notices).toMatch(topic);
    const html = h.store.text('reports/restore-1/report.html') ?? '';
    expect(html).toContain('id="notices"');
    expect(html).toContain('MFA factors');
    // A restore writes no snapshot of its own.
    expect(h.store.keys().some((key) => key.endsWith('snapshot.jsonl'))).toBe(false);
  });

  it('is absent from a deletion report', async () => {
    const h = makeHarness({ csv: 'id\n1001\n' });
    await runToEnd(h);
    expect(readReport(h).notices).toBeUndefined();
  });
});
