// Which lookups resolve a file most cheaply, counted in API calls (the scarce resource: ~5,000 calls per hour per account).
//
// COST MODEL (calls, not counting the one countUsers() call every run makes for the deletion budget):
//   rows with an id                          → batched getUsersByIds: ceil(distinctIds / idBatchSize)
//   rows without id, with an email           → findUsers('email', v):   one call per distinct email (case-insensitive)
//   rows with only a username                → findUsers('username', v): one call per distinct username
//   'lookup'  = ceil(distinctIds / idBatchSize) + distinctEmails + distinctUsernames
//   'listing' = ceil(accountUsers / pageSize)   (one pass over the whole account serves every row, ids included)
// The cheaper one wins; a tie goes to 'lookup' (it starts resolving at once and keeps less in memory).
// Only a row's primary identifier (id, else email, else username) is looked up; the others are checked on the candidates.

export type LookupStrategy = 'lookup' | 'listing';

export interface LookupCounts {
  distinctIds: number;
  distinctEmails: number;
  distinctUsernames: number;
}

export interface StrategyChoice {
  strategy: LookupStrategy;
  lookupCalls: number;
  listingCalls: number;
}

export function chooseStrategy(
  counts: LookupCounts,
  accountUsers: number,
  pageSize: number,
  idBatchSize: number,
): StrategyChoice {
  const idCalls = counts.distinctIds === 0 ? 0 : Math.ceil(counts.distinctIds / Math.max(1, idBatchSize));
  const lookupCalls = idCalls + counts.distinctEmails + counts.distinctUsernames;
  const listingCalls = Math.max(1, Math.ceil(accountUsers / Math.max(1, pageSize)));
  return { strategy: listingCalls < lookupCalls ? 'listing' : 'lookup', lookupCalls, listingCalls };
}
