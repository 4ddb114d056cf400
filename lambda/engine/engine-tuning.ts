// Sizes of the engine's units of work. Constants in production; tests shrink them to cross many unit boundaries with few rows.

export interface EngineTuning {
  /** Rows per spooled chunk: memory is bounded by one chunk (plus small per-job sets), never by the file. */
  chunkRows: number;
  /** Rows resolved between two saves when each needs API calls (at least one id batch): what a step stopped by a
   * rate-limit wait may have to look up again. */
  lookupSliceRows: number;
  lookupConcurrency: number;
  /** DELETEs per saved batch, and in flight at once (the directory paces itself to the rate limit). */
  deleteBatch: number;
  deleteConcurrency: number;
  /** Users per saved part of a listing's index. */
  indexPartUsers: number;
  /** Listing pages between two saves of its progress: what a step killed without warning lists again at most. */
  listingPagesPerSave: number;
}

export const DEFAULT_TUNING: Readonly<EngineTuning> = {
  chunkRows: 1000,
  lookupSliceRows: 25,
  lookupConcurrency: 4,
  deleteBatch: 20,
  deleteConcurrency: 4,
  indexPartUsers: 10_000,
  listingPagesPerSave: 20,
};

export const tuning: EngineTuning = { ...DEFAULT_TUNING };

/** For tests: change some sizes; returns a function that restores the previous ones. */
export function setTuning(changes: Partial<EngineTuning>): () => void {
  const before = { ...tuning };
  Object.assign(tuning, changes);
  return () => Object.assign(tuning, before);
}
