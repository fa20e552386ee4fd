/** Counters every process and replica shares: rate-limit windows, and each process's write probe. */
export interface LimitsArea {
  /**
   * Counts a hit (or, with `by` -1, takes one back) against `key` in a fixed window: every
   * replica counts in the same row. Returns the hits in the current window and when it ends.
   */
  hit(key: string, windowMs: number, now: Date, by?: number): Promise<{ hits: number; resetAt: Date }>;
  resetHits(key: string): Promise<void>;
  /** Writes this process's row of `write_probes`: throws when the database refuses writes (disk full, read-only). */
  probeWrite(at: Date): Promise<void>;
}
