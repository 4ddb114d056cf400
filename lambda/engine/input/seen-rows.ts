// Remembers the identifier tuple of every valid row in a few bytes each, so a million-row file stays small:
// a 64-bit hash of the tuple and the line it was first seen on, in an open-addressing table of typed arrays.
// A hash collision (about 1 in 10^7 for a million rows) could only reject a row as a duplicate, never delete anyone.
import { textKey } from '../identifier-text.ts';
import type { ValidRow } from './input-types.ts';

const INITIAL_CAPACITY = 1024;

/** The normalised tuple a row gives: id as a number, username and email as textKey reads them; absent parts stay distinct. */
export function duplicateKey(row: Pick<ValidRow, 'id' | 'username' | 'email'>): string {
  // NUL cannot occur in a valid row (control characters are rejected), so it cannot blur the parts together.
  const username = row.username === undefined ? '\u0001' : textKey(row.username);
  const email = row.email === undefined ? '\u0001' : textKey(row.email);
  return `${row.id ?? ''}\u0000${username}\u0000${email}`;
}

let hashHigh = 0;
let hashLow = 0;

/**
 * A 64-bit hash of `key` into hashHigh/hashLow: two independently seeded 32-bit multiply-xorshift lanes with a
 * murmur3 finaliser. Several times faster than a crypto digest per row; collisions are as rare as any 64-bit hash's
 * for non-adversarial keys, and a collision can only mark a row as a duplicate.
 */
function hash64(key: string): void {
  let high = 0x9e3779b9 ^ key.length;
  let low = 0x85ebca6b ^ Math.imul(key.length, 0xc2b2ae35);
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    high = Math.imul(high ^ code, 0x5bd1e995);
    high ^= high >>> 15;
    low = Math.imul(low ^ code, 0x27d4eb2f);
    low = (low << 13) | (low >>> 19);
  }
  hashHigh = finalise(high ^ Math.imul(low, 0x165667b1)) >>> 0;
  hashLow = finalise(low ^ Math.imul(high, 0xd3a2646c)) >>> 0;
}

function finalise(value: number): number {
  let mixed = value;
  mixed ^= mixed >>> 16;
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return mixed;
}

export class SeenRows {
  private high = new Uint32Array(INITIAL_CAPACITY);
  private low = new Uint32Array(INITIAL_CAPACITY);
  /** 0 marks an empty slot: data rows are on line 2 or later. */
  private lines = new Uint32Array(INITIAL_CAPACITY);
  private count = 0;

  /** The line that first gave `key`; otherwise records `key` at `line` and returns undefined. */
  firstLineOrAdd(key: string, line: number): number | undefined {
    hash64(key);
    const high = hashHigh;
    const low = hashLow;
    const slot = this.find(high, low);
    const seen = this.lines[slot]!;
    if (seen !== 0) return seen;
    this.high[slot] = high;
    this.low[slot] = low;
    this.lines[slot] = line;
    this.count++;
    if (this.count * 2 > this.lines.length) this.grow();
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  private find(high: number, low: number): number {
    const mask = this.lines.length - 1;
    let slot = low & mask;
    while (this.lines[slot] !== 0 && (this.high[slot] !== high || this.low[slot] !== low)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { high, low, lines } = this;
    this.high = new Uint32Array(lines.length * 2);
    this.low = new Uint32Array(lines.length * 2);
    this.lines = new Uint32Array(lines.length * 2);
    for (let index = 0; index < lines.length; index++) {
      if (lines[index] === 0) continue;
      const slot = this.find(high[index]!, low[index]!);
      this.high[slot] = high[index]!;
      this.low[slot] = low[index]!;
      this.lines[slot] = lines[index]!;
    }
  }
}
