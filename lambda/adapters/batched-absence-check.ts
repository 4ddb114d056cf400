// Proof that users are gone, for DELETEs answered 404 without a body that names the missing user: the ids wait in one
// queue and go to the server together in `user_ids` lookups, so a burst of such answers costs one listing, not one each.

/** Looks up ids and answers those that exist. */
export type PresentIds = (ids: readonly number[]) => Promise<ReadonlySet<number>>;

/** How long the first id waits for others: DELETEs sent together are answered within a few ms of each other. */
const GATHER_MS = 20;

interface Waiting {
  id: number;
  resolve: (absent: boolean) => void;
  reject: (error: unknown) => void;
}

export class BatchedAbsenceCheck {
  private queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly presentIds: PresentIds,
    private readonly batchSize: number,
  ) {}

  /** True when a lookup shows the id absent; rejects with the lookup's error. */
  isAbsent(id: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    await new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, Math.max(1, this.batchSize));
      try {
        const present = await this.presentIds([...new Set(batch.map((waiting) => waiting.id))]);
        for (const waiting of batch) waiting.resolve(!present.has(waiting.id));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.running = false;
  }
}
