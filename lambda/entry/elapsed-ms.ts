/** Milliseconds since `started` (a `performance.now()` reading), to a tenth: the log lines' durationMs. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
