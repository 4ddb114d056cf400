// Phase 2: resolve every valid row to exactly one user (the plan) or to the reason it cannot be; then the guards.
// Resumable per slice: a slice's rows and the cursor are saved together; a slice interrupted part-way is resolved again.

import { primaryField, resolveCandidates } from './candidate-rule.ts';
import { DirectoryCallError, WaitRequiredError } from './directory-errors.ts';
import { textKey } from './identifier-text.ts';
import type { JobOptions } from './job.ts';
import { ALREADY_SUSPENDED_MESSAGE, budgetRefusal, guardRefusal, SUSPENDED_STATUS } from './job-guards.ts';
import { forEachLimited } from './limited-concurrency.ts';
import type { LookupCounts } from './lookup-strategy.ts';
import { chooseStrategy } from './lookup-strategy.ts';
import { describeMismatches } from './mismatch-matches.ts';
import type { Action, IdentifierMatches, ResolvedUser } from './outcomes.ts';
import { WOULD_OUTCOME } from './outcomes.ts';
import type { PhaseResult } from './phase-result.ts';
import { NEXT, YIELD_NOW } from './phase-result.ts';
import type { ProtectRules } from './protect-rules.ts';
import { ProtectValueError, readProtectValues } from './protect-rules.ts';
import type { StepContext } from './step-context.ts';
import { putJson, readJson } from './store-json.ts';
import type { LookupKey, StoredRow } from './stored-row.ts';
import { readChunk, readChunks, resetResolution, writeChunk } from './stored-row.ts';
import { unmatchedProtectWarnings } from './unmatched-protect.ts';
import { indexedUser, UserIndex, WantedKeys } from './user-index.ts';

type Failure = { failed: { reason: string; message: string } };
type CandidateSource = (key: LookupKey) => ResolvedUser[] | Failure;

/** What resolving gives a row: planned for one user, or a final outcome. */
type RowResolution =
  | { planned: true; user: ResolvedUser }
  | {
      outcome: 'not-found' | 'rejected' | 'failed' | 'already-suspended';
      reason?: string;
      message: string;
      user?: ResolvedUser;
      candidates?: number[];
      matches?: IdentifierMatches;
    };

/** What every slice of the step resolves against. */
interface Resolver {
  index: UserIndex | undefined;
  planned: PlanRegistry;
  protect: ProtectRules;
  options: JobOptions;
  action: Action;
}

export async function resolvePhase(ctx: StepContext): Promise<PhaseResult> {
  const cp = ctx.checkpoint;
  // Protect values are checked before the first call: a value that cannot be an identifier refuses the run.
  const protect = protectRulesOf(ctx);
  if (!('match' in protect)) return protect;
  await chooseLookup(ctx);
  let index: UserIndex | undefined;
  if (cp.strategy === 'listing' && cp.resolveCursor.chunk < cp.chunkCount) {
    index = cp.indexParts === undefined ? await buildIndex(ctx) : await loadIndex(ctx, cp.indexParts);
    if (index === undefined && cp.strategy === 'listing') return YIELD_NOW;
  }
  const resolver: Resolver = {
    index,
    planned: await plannedBefore(ctx, planRegistry(index)),
    protect,
    options: ctx.spec.options,
    action: ctx.spec.action ?? 'delete',
  };
  if ((await resolveChunks(ctx, resolver)) === 'yield') return YIELD_NOW;
  await checkProtectValues(ctx, protect);
  return concludePlan(ctx);
}

/** The run's protect rules, or the refusal of the run as a whole (`invalid-protect`) naming every value refused. */
export function protectRulesOf(ctx: StepContext): ProtectRules | PhaseResult {
  try {
    return readProtectValues(ctx.spec.options.protect);
  } catch (error) {
    if (!(error instanceof ProtectValueError)) throw error;
    ctx.deps.logger.warn('protect values refused: the run is refused as a whole', { count: error.problems.length });
    const message = `${error.message}; nothing was looked up or changed`;
    return {
      kind: 'end',
      status: 'rejected',
      error: { code: 'invalid-protect', message },
      unfinished: { reason: 'invalid-protect', message: `not processed: ${message}` },
    };
  }
}

/** Once per job: protect values that match no user become warnings (report.json `warnings`, the console). */
async function checkProtectValues(ctx: StepContext, protect: ProtectRules): Promise<void> {
  const cp = ctx.checkpoint;
  if (cp.protectChecked) return;
  const warnings = await unmatchedProtectWarnings(ctx.deps.directory, protect);
  for (const warning of warnings) ctx.deps.logger.warn(warning);
  cp.warnings = [...(cp.warnings ?? []), ...warnings];
  cp.protectChecked = true;
  await ctx.save();
}

/** The account's size and, from it, how rows are looked up: both saved, so later steps keep the same choice. */
async function chooseLookup(ctx: StepContext): Promise<void> {
  const cp = ctx.checkpoint;
  const { directory, logger } = ctx.deps;
  if (cp.accountUsers === undefined) {
    cp.accountUsers = await directory.countUsers();
    await ctx.save();
  }
  if (cp.strategy === undefined) {
    const counts = cp.lookupCounts ?? { distinctIds: 0, distinctEmails: 0, distinctUsernames: 0 };
    const choice = chooseStrategy(counts, cp.accountUsers, directory.pageSize, directory.idBatchSize);
    cp.strategy = choice.strategy;
    logger.info('lookup strategy chosen', { ...choice, accountUsers: cp.accountUsers, ...counts });
    await ctx.save();
  }
}

async function resolveChunks(ctx: StepContext, resolver: Resolver): Promise<'done' | 'yield'> {
  const cp = ctx.checkpoint;
  const sliceRows = Math.max(ctx.tuning.lookupSliceRows, ctx.deps.directory.idBatchSize);
  while (cp.resolveCursor.chunk < cp.chunkCount) {
    const chunkIndex = cp.resolveCursor.chunk;
    const rows = await readChunk(ctx.store, ctx.spec.statePrefix, chunkIndex);
    for (let i = cp.resolveCursor.row; i < rows.length; i += 1) resetResolution(rows[i] as StoredRow);
    let start = cp.resolveCursor.row;
    while (start < rows.length) {
      if (ctx.shouldYield()) return 'yield';
      const end = resolver.index ? rows.length : Math.min(rows.length, start + sliceRows);
      await resolveSlice(ctx, resolver, { index: chunkIndex, rows }, start, end);
      start = end;
    }
    if (cp.resolveCursor.chunk === chunkIndex) {
      // Only an empty chunk gets here (never written, but never loop on one).
      cp.resolveCursor = { chunk: chunkIndex + 1, row: 0 };
      await ctx.save();
    }
  }
  return 'done';
}

/** Resolves rows[start, end) of a chunk; the chunk, the counts and the cursor after them are saved together. */
async function resolveSlice(
  ctx: StepContext,
  resolver: Resolver,
  chunk: { index: number; rows: StoredRow[] },
  start: number,
  end: number,
): Promise<void> {
  const cp = ctx.checkpoint;
  const slice = chunk.rows.slice(start, end).filter((row) => row.key !== undefined && row.outcome === undefined);
  const source: CandidateSource = resolver.index ? indexSource(resolver.index) : await lookupSource(ctx, slice);
  const added = new Map<number, number>();
  const deltas = { planned: 0, 'not-found': 0, rejected: 0, failed: 0, 'already-suspended': 0 };
  for (const row of slice) {
    const resolution = resolveRow(row.key as LookupKey, source, resolver, added);
    Object.assign(row, resolution);
    if ('planned' in resolution) {
      added.set(resolution.user.id, row.line);
      deltas.planned += 1;
    } else deltas[resolution.outcome] += 1;
  }
  await describeMismatches(ctx.deps.directory, slice, ctx.tuning.lookupConcurrency);
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  for (const [id, line] of added) resolver.planned.mark(id, line);
  cp.planned += deltas.planned;
  ctx.count('not-found', deltas['not-found']);
  ctx.count('rejected', deltas.rejected);
  ctx.count('failed', deltas.failed);
  ctx.count('already-suspended', deltas['already-suspended']);
  if (ctx.spec.mode === 'dry-run') ctx.count(WOULD_OUTCOME[ctx.spec.action ?? 'delete'], deltas.planned);
  cp.resolveCursor = end >= chunk.rows.length ? { chunk: chunk.index + 1, row: 0 } : { chunk: chunk.index, row: end };
  await ctx.save();
  ctx.reportProgress();
}

/**
 * The plan is complete: the budget accepts it, or a live job is refused with nothing changed. A dry run over budget
 * keeps its would-delete rows and says (summary.budget) that a live run would be refused, and which setting allows it.
 */
export function concludePlan(ctx: StepContext): PhaseResult {
  const cp = ctx.checkpoint;
  const { logger } = ctx.deps;
  cp.planMade = true;
  const refusal = budgetRefusal(cp.planned, cp.accountUsers ?? 0, ctx.spec.options, ctx.spec.action);
  if (refusal) {
    cp.budget = { wouldRefuse: true, reason: refusal.code, message: refusal.message, setting: refusal.setting };
    logger.warn('plan over the deletion budget', {
      planned: cp.planned,
      accountUsers: cp.accountUsers,
      mode: ctx.spec.mode,
    });
  }
  logger.info('plan made', { planned: cp.planned, ...cp.counts });
  if (!refusal || ctx.spec.mode === 'dry-run') return NEXT;
  cp.overBudget = true;
  return { kind: 'end', status: 'rejected', error: { code: refusal.code, message: refusal.message } };
}

/** The candidate rule, then the guards: a protected or directory-managed user, or one an earlier row planned, is never planned. */
function resolveRow(
  key: LookupKey,
  source: CandidateSource,
  resolver: Resolver,
  added: ReadonlyMap<number, number>,
): RowResolution {
  const candidates = source(key);
  if (!Array.isArray(candidates)) return { outcome: 'failed', ...candidates.failed };
  const resolution = resolveCandidates(key, candidates);
  if (resolution.kind === 'not-found') return { outcome: 'not-found', message: resolution.message };
  if (resolution.kind === 'rejected') {
    const { reason, message } = resolution;
    return reason === 'ambiguous'
      ? { outcome: 'rejected', reason, message, candidates: resolution.candidates }
      : { outcome: 'rejected', reason, message, matches: resolution.matches };
  }
  const user = resolution.user;
  const refused = guardRefusal(user, resolver.protect, resolver.options, resolver.action);
  if (refused) return { outcome: 'rejected', ...refused, user };
  const earlier = resolver.planned.lineOf(user.id) ?? added.get(user.id);
  if (earlier !== undefined)
    return { outcome: 'rejected', reason: 'duplicate', message: `names the same user as line ${earlier}`, user };
  if (resolver.action === 'suspend' && user.status === SUSPENDED_STATUS)
    return { outcome: 'already-suspended', message: ALREADY_SUSPENDED_MESSAGE, user };
  return { planned: true, user };
}

/** Which users rows have planned so far, and by which line: the duplicate rule's memory. */
interface PlanRegistry {
  lineOf(userId: number): number | undefined;
  mark(userId: number, line: number): void;
}

/** With a listing's index the marks live in its typed columns (4 bytes a user); otherwise in a map. */
function planRegistry(index: UserIndex | undefined): PlanRegistry {
  const others = new Map<number, number>();
  return {
    lineOf: (userId) => index?.plannedLine(userId) ?? others.get(userId),
    mark: (userId, line) => {
      if (index?.has(userId)) index.markPlanned(userId, line);
      else others.set(userId, line);
    },
  };
}

/** Users planned by rows before the resolve cursor (rebuilt from the chunks: a step keeps nothing in memory between runs). */
async function plannedBefore(ctx: StepContext, planned: PlanRegistry): Promise<PlanRegistry> {
  const cursor = ctx.checkpoint.resolveCursor;
  // The cursor's own chunk holds planned rows only before the cursor's row: at row 0 it has none to read.
  const end = Math.min(cursor.row > 0 ? cursor.chunk + 1 : cursor.chunk, ctx.checkpoint.chunkCount);
  for await (const { index: chunk, rows } of readChunks(ctx.store, ctx.spec.statePrefix, 0, end)) {
    const rowsBefore = chunk === cursor.chunk ? cursor.row : rows.length;
    for (let i = 0; i < rowsBefore; i += 1) {
      const row = rows[i] as StoredRow;
      if (row.planned && row.user) planned.mark(row.user.id, row.line);
    }
  }
  return planned;
}

function indexSource(index: UserIndex): CandidateSource {
  return (key) => index.candidates(key);
}

/** Batched id lookups and per-value searches for one slice's rows. */
async function lookupSource(ctx: StepContext, rows: readonly StoredRow[]): Promise<CandidateSource> {
  const { directory } = ctx.deps;
  const ids = new Set<number>();
  const values = new Map<string, { field: 'email' | 'username'; value: string }>();
  for (const row of rows) {
    const key = row.key as LookupKey;
    const primary = primaryField(key);
    if (primary === 'id' && key.id !== undefined) ids.add(key.id);
    else if (primary === 'email' || primary === 'username') {
      const value = key[primary] as string;
      values.set(`${primary}\u0000${textKey(value)}`, { field: primary, value });
    }
  }
  const usersById = new Map<number, ResolvedUser>();
  const idFailures = new Map<number, Failure>();
  const batches: number[][] = [];
  const idList = [...ids];
  const batchSize = Math.max(1, directory.idBatchSize);
  for (let i = 0; i < idList.length; i += batchSize) batches.push(idList.slice(i, i + batchSize));
  const found = new Map<string, ResolvedUser[] | Failure>();
  type Job =
    | { kind: 'ids'; ids: number[] }
    | { kind: 'value'; key: string; field: 'email' | 'username'; value: string };
  const jobs: Job[] = [
    ...batches.map((batch): Job => ({ kind: 'ids', ids: batch })),
    ...[...values].map(([key, spec]): Job => ({ kind: 'value', key, ...spec })),
  ];
  await forEachLimited(jobs, ctx.tuning.lookupConcurrency, async (job) => {
    try {
      if (job.kind === 'ids') {
        for (const user of await directory.getUsersByIds(job.ids)) usersById.set(user.id, user);
      } else {
        found.set(job.key, await directory.findUsers(job.field, job.value));
      }
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      const failure: Failure = { failed: { reason: error.reason, message: `lookup failed: ${error.message}` } };
      if (job.kind === 'ids') for (const id of job.ids) idFailures.set(id, failure);
      else found.set(job.key, failure);
    }
  });
  return (key) => {
    const primary = primaryField(key);
    if (primary === 'id' && key.id !== undefined) {
      const failure = idFailures.get(key.id);
      if (failure) return failure;
      const user = usersById.get(key.id);
      return user ? [user] : [];
    }
    if (primary === 'email' || primary === 'username') {
      return found.get(`${primary}\u0000${textKey(key[primary] as string)}`) ?? [];
    }
    return [];
  };
}

const MAX_LISTING_RESTARTS = 2;

/**
 * One pass over the whole account, keeping only the users the file may mean, saved in parts so later steps need not
 * list again. When the directory gives page cursors, progress is saved as it goes and an interrupted listing resumes
 * after its last saved page; otherwise it starts again next step.
 */
async function buildIndex(ctx: StepContext): Promise<UserIndex | undefined> {
  const cp = ctx.checkpoint;
  const { directory, logger } = ctx.deps;
  const wanted = ctx.wanted ?? (await scanWanted(ctx));
  ctx.wanted = undefined;
  const index = new UserIndex(indexedFields(cp.lookupCounts));
  if (cp.listing) await loadParts(ctx, index, cp.listing.parts);
  const listing = new ListingProgress(ctx, cp.listing);
  try {
    for await (const page of directory.listAllUsers(cp.listing?.cursor)) {
      const kept = page.users.filter((user) => wanted.wants(user)).map(indexedUser);
      for (const user of kept) index.add(user);
      await listing.pageDone(kept, page.nextCursor);
      if (ctx.shouldYield()) return await listingInterrupted(ctx, listing);
    }
  } catch (error) {
    if (error instanceof WaitRequiredError) {
      await listing.saveProgress();
      throw error;
    }
    if (!(error instanceof DirectoryCallError)) throw error;
    logger.warn('account listing failed; falling back to per-row lookups', {
      reason: error.reason,
      pages: listing.pages,
    });
    cp.strategy = 'lookup';
    delete cp.listing;
    await ctx.save();
    return undefined;
  }
  await listing.savePart();
  index.seal();
  cp.indexParts = listing.parts;
  delete cp.listing;
  logger.info('account listed', { pages: listing.pages, kept: index.size });
  await ctx.save();
  return index;
}

/** The step ends in the middle of a listing: it resumes from its last page, or starts again (at most twice). */
async function listingInterrupted(ctx: StepContext, listing: ListingProgress): Promise<undefined> {
  const cp = ctx.checkpoint;
  const { logger } = ctx.deps;
  if (listing.resumable()) {
    await listing.saveProgress();
    logger.info('listing paused by the step deadline', { pages: listing.pages });
    return undefined;
  }
  // Without cursors a listing longer than a step would start again for ever: after two tries, look rows up instead.
  cp.listingRestarts = (cp.listingRestarts ?? 0) + 1;
  if (cp.listingRestarts >= MAX_LISTING_RESTARTS) {
    cp.strategy = 'lookup';
    logger.warn('account listing does not fit a step and cannot resume; falling back to per-row lookups', {
      pages: listing.pages,
    });
  } else {
    logger.info('listing interrupted by the step deadline; it starts again next step', { pages: listing.pages });
  }
  await ctx.save();
  return undefined;
}

/** A listing's saved parts and pages, and the users kept since the last part. */
class ListingProgress {
  parts: number;
  pages: number;
  private pending: ResolvedUser[] = [];
  private pagesSinceSave = 0;
  /** Cursor after the last page whose users are all kept (undefined: this listing cannot be resumed). */
  private resumeCursor: string | undefined;

  constructor(
    private readonly ctx: StepContext,
    from: { parts: number; pages: number } | undefined,
  ) {
    this.parts = from?.parts ?? 0;
    this.pages = from?.pages ?? 0;
  }

  resumable(): boolean {
    return this.resumeCursor !== undefined;
  }

  async pageDone(kept: readonly ResolvedUser[], nextCursor: string | undefined): Promise<void> {
    this.pages += 1;
    this.pagesSinceSave += 1;
    this.pending.push(...kept);
    this.resumeCursor = nextCursor;
    if (this.ctx.shouldYield()) return;
    if (this.pending.length >= this.ctx.tuning.indexPartUsers) await this.savePart();
    if (this.pagesSinceSave >= this.ctx.tuning.listingPagesPerSave) await this.saveProgress();
  }

  async savePart(): Promise<void> {
    if (this.pending.length === 0) return;
    await putJson(this.ctx.store, indexPartKey(this.ctx.spec.statePrefix, this.parts), this.pending);
    this.parts += 1;
    this.pending = [];
  }

  async saveProgress(): Promise<void> {
    if (this.resumeCursor === undefined) return;
    await this.savePart();
    this.ctx.checkpoint.listing = { cursor: this.resumeCursor, parts: this.parts, pages: this.pages };
    await this.ctx.save();
    this.pagesSinceSave = 0;
  }
}

async function loadIndex(ctx: StepContext, parts: number): Promise<UserIndex> {
  const index = new UserIndex(indexedFields(ctx.checkpoint.lookupCounts));
  await loadParts(ctx, index, parts);
  index.seal();
  return index;
}

async function loadParts(ctx: StepContext, index: UserIndex, parts: number): Promise<void> {
  for (let part = 0; part < parts; part += 1) {
    const users = await readJson<ResolvedUser[]>(ctx.store, indexPartKey(ctx.spec.statePrefix, part));
    if (!users) throw new Error(`job state is missing index part ${part}`);
    for (const user of users) index.add(user);
  }
}

function indexedFields(counts: LookupCounts | undefined): { email: boolean; username: boolean } {
  return { email: (counts?.distinctEmails ?? 1) > 0, username: (counts?.distinctUsernames ?? 1) > 0 };
}

async function scanWanted(ctx: StepContext): Promise<WantedKeys> {
  const wanted = new WantedKeys();
  for await (const { rows } of readChunks(ctx.store, ctx.spec.statePrefix, 0, ctx.checkpoint.chunkCount)) {
    for (const row of rows) if (row.key) wanted.add(row.key);
  }
  wanted.seal();
  return wanted;
}

function indexPartKey(statePrefix: string, part: number): string {
  return `${statePrefix}index/${String(part).padStart(6, '0')}.json`;
}
