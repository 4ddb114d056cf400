// Growable typed arrays and a UTF-8 string column: a million users or keys kept off the JS heap, in a few flat buffers.

export class GrowableFloat64 {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(Math.ceil(this.data.length * 1.5));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  /** The values sorted ascending without repeats (a new array; this one is left empty). */
  takeSortedUnique(): Float64Array {
    const values = this.data.subarray(0, this.length).sort();
    this.data = new Float64Array(0);
    this.length = 0;
    let unique = 0;
    for (let i = 0; i < values.length; i += 1) {
      if (i === 0 || values[i] !== values[unique - 1]) {
        values[unique] = values[i] as number;
        unique += 1;
      }
    }
    return values.slice(0, unique);
  }

  get(index: number): number {
    return this.data[index] as number;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Whether a sorted array holds a value (binary search). */
export function sortedHas(sorted: Float64Array, value: number): boolean {
  const at = lowerBound(sorted, value);
  return at < sorted.length && sorted[at] === value;
}

/** First position whose value is ≥ `value`. */
export function lowerBound(sorted: Float64Array | Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class GrowableUint32 {
  private data = new Uint32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(Math.ceil(this.data.length * 1.5));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  get(index: number): number {
    return this.data[index] as number;
  }
}

const NULL_START = 0xffffffff;

/** Nullable strings stored as UTF-8 in one growing buffer (each behind its 2-byte length). */
export class StringColumn {
  private bytes = Buffer.alloc(64 * 1024);
  private used = 0;
  private readonly starts = new GrowableUint32();

  get length(): number {
    return this.starts.length;
  }

  push(value: string | null): void {
    const needed = value === null ? 0 : Buffer.byteLength(value, 'utf8');
    if (value === null || needed > 0xffff || this.used + needed + 2 >= NULL_START) {
      // Identifiers are short; a longer one (or a column past 4 GB) is kept as unknown rather than truncated.
      this.starts.push(NULL_START);
      return;
    }
    if (this.used + needed + 2 > this.bytes.length) {
      const bigger = Buffer.alloc(Math.max(Math.ceil(this.bytes.length * 1.5), this.used + needed + 2));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    this.starts.push(this.used);
    this.bytes.writeUInt16LE(needed, this.used);
    this.bytes.write(value, this.used + 2, 'utf8');
    this.used += 2 + needed;
  }

  get(index: number): string | null {
    const start = this.starts.get(index);
    if (start === NULL_START) return null;
    const length = this.bytes.readUInt16LE(start);
    return this.bytes.toString('utf8', start + 2, start + 2 + length);
  }
}
