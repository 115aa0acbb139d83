/**
 * What the inventory last read for each function (its on-failure destinations) or rule (its
 * targets' dead-letter queues), and when. A run reads only a budget of them: the ones it has never
 * read first (a new function or rule is seen at the next run), then the longest unread, so every one
 * is read again within ceil(count / budget) runs while a run's calls stay bounded (docs/dlq-discovery.md).
 * Kept in the inventory function's memory; after a cold start it is seeded from the stored inventory.
 */
export class OwnerSweep<T> {
  private readonly known = new Map<string, { value: T; readAt: number }>();

  /** Values from the stored inventory, for keys never read by this process: kept until their first read. */
  seed(values: ReadonlyMap<string, T>): void {
    for (const [key, value] of values) if (!this.known.has(key)) this.known.set(key, { value, readAt: -1 });
  }

  /** At most `budget` of `keys` to read now: never read ones first, then the longest unread; forgets keys no longer listed. */
  due(keys: readonly string[], budget: number): string[] {
    const listed = new Set(keys);
    for (const key of [...this.known.keys()]) if (!listed.has(key)) this.known.delete(key);
    const never = keys.filter((key) => !this.known.has(key));
    const seeded = keys.filter((key) => this.known.get(key)?.readAt === -1);
    const read = keys.filter((key) => (this.known.get(key)?.readAt ?? -1) >= 0).sort((a, b) => this.known.get(a)!.readAt - this.known.get(b)!.readAt);
    return [...never, ...seeded, ...read].slice(0, Math.max(0, budget));
  }

  record(key: string, value: T, at: number): void {
    this.known.set(key, { value, readAt: at });
  }

  /** whether this process has read the key (not only seeded it) */
  hasRead(key: string): boolean {
    return (this.known.get(key)?.readAt ?? -1) >= 0;
  }

  valueOf(key: string): T | undefined {
    return this.known.get(key)?.value;
  }
}
