/**
 * A monotonic clock in milliseconds, for the log lines' durations. Not `performance.now()`: its first
 * call loads Node.js's perf_hooks, 1.4 to 2 ms of a cold request measured on Node.js 20 and 22
 * (docs/performance.md, "Cold start: what is left").
 */
export function clockMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Milliseconds since `started` (a `clockMs()` reading), to a tenth: the log lines' durationMs. */
export function elapsedMs(started: number): number {
  return Math.round((clockMs() - started) * 10) / 10;
}
