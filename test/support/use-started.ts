/**
 * A describe block's running thing (a local stack, a local org): started before its tests, stopped
 * after them. Answers the object, filled in once started (use it inside hooks and tests).
 */
export function useStarted<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  const t = {} as T;
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
    Object.assign(t, started);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return t;
}
