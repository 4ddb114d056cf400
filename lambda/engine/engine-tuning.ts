// Sizes of the engine's units of work. Constants in production; tests shrink them to cross many unit boundaries with few rows.

export interface EngineTuning {
  /** Rows per spooled chunk: memory is bounded by one chunk (plus small per-job sets), never by the file. */
  chunkRows: number;
  /** Rows resolved between two saves when each needs API calls (at least one id batch): what a step stopped by a
   * rate-limit wait may have to look up again. */
  lookupSliceRows: number;
  lookupConcurrency: number;
  /** Most DELETEs whose outcome is not saved yet (the checkpoint's intent): what a step killed without warning sends
   * again at most. Outcomes are saved in small records as DELETEs complete, while the next ones are already being sent. */
  deleteBatch: number;
  /** DELETEs in flight at once (the directory paces itself to the rate limit). */
  deleteConcurrency: number;
  /** Outcomes of completed DELETEs wait at most this long before they are saved (slow, rate-limited runs). */
  outcomeFlushMs: number;
  /** Users per saved part of a listing's index. */
  indexPartUsers: number;
  /** Listing pages between two saves of its progress: what a step killed without warning lists again at most. */
  listingPagesPerSave: number;
}

export const DEFAULT_TUNING: Readonly<EngineTuning> = {
  chunkRows: 1000,
  lookupSliceRows: 25,
  lookupConcurrency: 4,
  deleteBatch: 50,
  deleteConcurrency: 4,
  outcomeFlushMs: 10_000,
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
