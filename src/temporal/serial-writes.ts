/** Serialises asynchronous work per key: each call for a key starts once every earlier one has settled. */
export class SerialWrites {
  /** The tail of the work of each key. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call for the same key has settled; resolves or rejects as `fn` does. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
