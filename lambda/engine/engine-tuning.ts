// Sizes of the engine's units of work. Defaults in production; tests pass smaller ones (EngineDeps.tuning) to cross many
// unit boundaries with few rows.

export interface EngineTuning {
  /** Rows per spooled chunk: memory is bounded by one chunk (plus small per-job sets), never by the file. */
  chunkRows: number;
  /** Rows resolved between two saves when each needs API calls (at least one id batch): what a step stopped by a
   * rate-limit wait may have to look up again. */
  lookupSliceRows: number;
  lookupConcurrency: number;
  /** DELETEs per batch: the checkpoint's intent names them before any is sent, and their outcomes are saved (one small
   * record) before the next batch. What a step killed without warning sends again at most. */
  deleteBatch: number;
  /** DELETEs of a batch in flight at once (the directory paces itself to the rate limit). */
  deleteConcurrency: number;
  /** Users per saved part of a listing's index. */
  indexPartUsers: number;
  /** Listing pages between two saves of its progress: what a step killed without warning lists again at most. */
  listingPagesPerSave: number;
  /** Rows report.html shows at most (a browser stays responsive); report.csv and report.json hold them all. */
  htmlReportRows: number;
  /** While a step runs, status.json is rewritten at least this often (ms), so that it is a live view of a long run. */
  statusIntervalMs: number;
}

export const DEFAULT_TUNING: Readonly<EngineTuning> = {
  chunkRows: 1000,
  lookupSliceRows: 25,
  lookupConcurrency: 4,
  deleteBatch: 50,
  deleteConcurrency: 4,
  indexPartUsers: 10_000,
  listingPagesPerSave: 20,
  htmlReportRows: 50_000,
  statusIntervalMs: 15_000,
};

/** The defaults with the given sizes changed. */
export function resolveTuning(changes: Partial<EngineTuning> = {}): EngineTuning {
  return { ...DEFAULT_TUNING, ...changes };
}
