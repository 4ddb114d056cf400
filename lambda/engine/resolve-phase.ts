// Phase 2: resolve every valid row to exactly one user (the plan) or to the reason it cannot be; then the guards.
// Resumable per slice: a slice's rows and the cursor are saved together; a slice interrupted part-way is resolved again.

import { primaryField, resolveCandidates } from './candidate-rule.ts';
import { DirectoryCallError, WaitRequiredError } from './directory-errors.ts';
import { tuning } from './engine-tuning.ts';
import { budgetRefusal, ProtectedUsers } from './job-guards.ts';
import { forEachLimited } from './limited-concurrency.ts';
import type { LookupCounts } from './lookup-strategy.ts';
import { chooseStrategy } from './lookup-strategy.ts';
import { describeMismatches } from './mismatch-matches.ts';
import type { ResolvedUser } from './outcomes.ts';
import type { StepContext } from './step-context.ts';
import { putJson, readJson } from './store-json.ts';
import type { LookupKey, StoredRow } from './stored-row.ts';
import { readChunk, readChunks, resetResolution, writeChunk } from './stored-row.ts';
import { indexedUser, UserIndex, WantedKeys } from './user-index.ts';

type Failure = { failed: { reason: string; message: string } };
type CandidateSource = (key: LookupKey) => ResolvedUser[] | Failure;

export async function resolvePhase(ctx: StepContext): Promise<'complete' | 'yield'> {
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
  let index: UserIndex | undefined;
  if (cp.strategy === 'listing' && cp.resolveCursor.chunk < cp.chunkCount) {
    index = cp.indexParts === undefined ? await buildIndex(ctx) : await loadIndex(ctx, cp.indexParts);
    if (index === undefined && cp.strategy === 'listing') return 'yield';
  }

  const protectedUsers = new ProtectedUsers(ctx.spec.options.protect);
  const planned = await plannedBefore(ctx, planRegistry(index));
  while (cp.resolveCursor.chunk < cp.chunkCount) {
    const chunkIndex = cp.resolveCursor.chunk;
    const rows = await readChunk(ctx.store, ctx.spec.statePrefix, chunkIndex);
    for (let i = cp.resolveCursor.row; i < rows.length; i += 1) resetResolution(rows[i] as StoredRow);
    let start = cp.resolveCursor.row;
    while (start < rows.length) {
      if (ctx.shouldYield()) return 'yield';
      const end = index
        ? rows.length
        : Math.min(rows.length, start + Math.max(tuning.lookupSliceRows, directory.idBatchSize));
      const slice = rows.slice(start, end).filter((row) => row.key !== undefined && row.outcome === undefined);
      const source: CandidateSource = index ? indexSource(index) : await lookupSource(ctx, slice);
      const added = new Map<number, number>();
      const deltas = { planned: 0, 'not-found': 0, rejected: 0, failed: 0 };
      for (const row of slice) {
        const settled = settleRow(row, source, protectedUsers, planned, added);
        deltas[settled] += 1;
      }
      await describeMismatches(directory, slice);
      await writeChunk(ctx.store, ctx.spec.statePrefix, chunkIndex, rows);
      for (const [id, line] of added) planned.mark(id, line);
      cp.planned += deltas.planned;
      ctx.count('not-found', deltas['not-found']);
      ctx.count('rejected', deltas.rejected);
      ctx.count('failed', deltas.failed);
      if (ctx.spec.mode === 'dry-run') ctx.count('would-delete', deltas.planned);
      cp.resolveCursor = end >= rows.length ? { chunk: chunkIndex + 1, row: 0 } : { chunk: chunkIndex, row: end };
      await ctx.save();
      ctx.reportProgress();
      start = end;
    }
    if (cp.resolveCursor.chunk === chunkIndex) {
      // Only an empty chunk gets here (never written, but never loop on one).
      cp.resolveCursor = { chunk: chunkIndex + 1, row: 0 };
      await ctx.save();
    }
  }

  cp.planMade = true;
  const refusal = budgetRefusal(cp.planned, cp.accountUsers, ctx.spec.options);
  if (refusal) {
    cp.overBudget = true;
    cp.status = 'rejected';
    cp.error = refusal;
    cp.phase = 'report';
    logger.warn('plan refused: over the deletion budget', { planned: cp.planned, accountUsers: cp.accountUsers });
  } else {
    cp.phase = ctx.spec.mode === 'live' ? 'apply' : 'report';
  }
  logger.info('plan made', { planned: cp.planned, ...cp.counts });
  await ctx.save();
  return 'complete';
}

function settleRow(
  row: StoredRow,
  source: CandidateSource,
  protectedUsers: ProtectedUsers,
  planned: PlanRegistry,
  added: Map<number, number>,
): 'planned' | 'not-found' | 'rejected' | 'failed' {
  const key = row.key as LookupKey;
  const candidates = source(key);
  if (!Array.isArray(candidates)) {
    Object.assign(row, { outcome: 'failed', reason: candidates.failed.reason, message: candidates.failed.message });
    return 'failed';
  }
  const resolution = resolveCandidates(key, candidates);
  if (resolution.kind === 'not-found') {
    Object.assign(row, { outcome: 'not-found', message: resolution.message });
    return 'not-found';
  }
  if (resolution.kind === 'rejected') {
    Object.assign(row, { outcome: 'rejected', reason: resolution.reason, message: resolution.message });
    if (resolution.reason === 'ambiguous') row.candidates = resolution.candidates;
    else row.matches = resolution.matches;
    return 'rejected';
  }
  const user = resolution.user;
  const protectedBy = protectedUsers.protects(user);
  if (protectedBy) {
    Object.assign(row, {
      outcome: 'rejected',
      reason: 'protected',
      message: `the user's ${protectedBy} is protected`,
      user,
    });
    return 'rejected';
  }
  const earlier = planned.lineOf(user.id) ?? added.get(user.id);
  if (earlier !== undefined) {
    Object.assign(row, {
      outcome: 'rejected',
      reason: 'duplicate',
      message: `names the same user as line ${earlier}`,
      user,
    });
    return 'rejected';
  }
  row.planned = true;
  row.user = user;
  added.set(user.id, row.line);
  return 'planned';
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
      values.set(`${primary}\u0000${value.toLowerCase()}`, { field: primary, value });
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
  await forEachLimited(jobs, tuning.lookupConcurrency, async (job) => {
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
      return found.get(`${primary}\u0000${(key[primary] as string).toLowerCase()}`) ?? [];
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
  const resumeFrom = cp.listing;
  const index = new UserIndex(indexedFields(cp.lookupCounts));
  if (resumeFrom) await loadParts(ctx, index, resumeFrom.parts);
  let parts = resumeFrom?.parts ?? 0;
  let pages = resumeFrom?.pages ?? 0;
  let pending: ResolvedUser[] = [];
  let pagesSinceSave = 0;
  /** Cursor after the last page whose users are all in `index` (undefined: this listing cannot be resumed). */
  let resumeCursor: string | undefined;
  const savePart = async (): Promise<void> => {
    if (pending.length === 0) return;
    await putJson(ctx.store, indexPartKey(ctx.spec.statePrefix, parts), pending);
    parts += 1;
    pending = [];
  };
  const saveProgress = async (): Promise<void> => {
    if (resumeCursor === undefined) return;
    await savePart();
    cp.listing = { cursor: resumeCursor, parts, pages };
    await ctx.save();
    pagesSinceSave = 0;
  };
  try {
    for await (const page of directory.listAllUsers(resumeFrom?.cursor)) {
      pages += 1;
      pagesSinceSave += 1;
      for (const user of page.users) {
        if (!wanted.wants(user)) continue;
        const kept = indexedUser(user);
        index.add(kept);
        pending.push(kept);
      }
      resumeCursor = page.nextCursor;
      if (ctx.shouldYield()) {
        if (resumeCursor !== undefined) {
          await saveProgress();
          logger.info('listing paused by the step deadline', { pages });
          return undefined;
        }
        // Without cursors a listing longer than a step would start again for ever: after two tries, look rows up instead.
        cp.listingRestarts = (cp.listingRestarts ?? 0) + 1;
        if (cp.listingRestarts >= MAX_LISTING_RESTARTS) {
          cp.strategy = 'lookup';
          logger.warn('account listing does not fit a step and cannot resume; falling back to per-row lookups', {
            pages,
          });
        } else {
          logger.info('listing interrupted by the step deadline; it starts again next step', { pages });
        }
        await ctx.save();
        return undefined;
      }
      if (pending.length >= tuning.indexPartUsers) await savePart();
      if (pagesSinceSave >= tuning.listingPagesPerSave) await saveProgress();
    }
  } catch (error) {
    if (error instanceof WaitRequiredError) {
      await saveProgress();
      throw error;
    }
    if (!(error instanceof DirectoryCallError)) throw error;
    logger.warn('account listing failed; falling back to per-row lookups', { reason: error.reason, pages });
    cp.strategy = 'lookup';
    delete cp.listing;
    await ctx.save();
    return undefined;
  }
  await savePart();
  index.seal();
  cp.indexParts = parts;
  delete cp.listing;
  logger.info('account listed', { pages, kept: index.size });
  await ctx.save();
  return index;
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
