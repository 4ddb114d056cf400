// The client's waits as console lines: a noticeable rate-limit pause is told once, pacing is not, retries each time.
import { describe, expect, it } from 'vitest';
import { WaitNotices } from '../../lambda/cli/wait-notices.ts';

describe('wait notices', () => {
  it('tells a rate-limit pause once, drops pacing, and tells every retry attempt', () => {
    let now = 0;
    const lines: string[] = [];
    const notices = new WaitNotices(() => now);
    notices.showOn((line) => lines.push(line));
    notices.observe({ reason: 'rate-limit', ms: 900 });
    notices.observe({ reason: 'rate-limit', ms: 42_000 });
    now += 1_000;
    notices.observe({ reason: 'rate-limit', ms: 41_000 });
    notices.observe({ reason: 'retry', ms: 1_500, attempt: 2, of: 6, request: 'delete', cause: 'http-503' });
    notices.observe({ reason: 'retry', ms: 3_000, attempt: 3, of: 6, request: 'token', cause: 'timeout' });
    expect(lines).toEqual([
      'waiting 42 s for the rate-limit window',
      'retrying the deletion 2/6 in 2 s: OneLogin answered 503',
      'retrying the token request 3/6 in 3 s: no answer in time',
    ]);
  });
});
