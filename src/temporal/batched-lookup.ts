/**
 * Group commit for lookups (pure: no I/O of its own): the first key asked is looked up at once; keys asked while
 * that lookup is in flight wait for it and then go together in one lookup, up to a batch limit. Under one caller
 * it is a plain lookup; under many, the server answers one request per batch instead of one per key.
 */

/** How many keys one lookup takes at most. */
export const DEFAULT_MAX_BATCH = 32;

interface Waiting<K, R> {
  readonly key: K;
  readonly resolve: (result: R) => void;
  readonly reject: (err: unknown) => void;
}

/** Looks keys up in batches; see the file's comment. */
export class BatchedLookup<K, R> {
  private queue: Waiting<K, R>[] = [];
  private running = false;

  /**
   * @param lookup answers a batch: one result per key, in the keys' order. A rejection rejects every caller of
   *   the batch.
   * @param maxBatch the most keys one lookup takes.
   */
  constructor(
    private readonly lookup: (keys: readonly K[]) => Promise<readonly R[]>,
    private readonly maxBatch: number = DEFAULT_MAX_BATCH,
  ) {}

  /** The result for `key`, from the next lookup. */
  get(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.maxBatch);
        this.queue = this.queue.slice(batch.length);
        try {
          const results = await this.lookup(batch.map((w) => w.key));
          if (results.length !== batch.length) {
            throw new Error(`A batched lookup answered ${results.length} results for ${batch.length} keys`);
          }
          batch.forEach((w, i) => w.resolve(results[i] as R));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
