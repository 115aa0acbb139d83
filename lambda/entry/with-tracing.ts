import type { Context } from 'aws-lambda';

import type { Tracing } from '../adapters/xray/powertools-tracing';
import { ENV } from '../config/environment';

// Tracing is off where POWERTOOLS_TRACE_ENABLED is `false` (the local stack): the Tracer's module
// (and aws-xray-sdk-core) is then never evaluated, the dynamic import keeping it behind a lazy
// initializer in the bundle. Elsewhere it loads at init: each entry awaits `initialized` at its top level,
// so the load is part of Lambda's INIT phase (an ES module's top-level await is:
// https://aws.amazon.com/blogs/compute/using-node-js-es-modules-and-top-level-await-in-aws-lambda/),
// not of the first request's duration; bench/cold-start.ts times it.
const loading: Promise<Tracing | undefined> | undefined =
  process.env[ENV.traceEnabled] === 'false'
    ? undefined
    : import('../adapters/xray/powertools-tracing').then(
        (module) => module.createTracing(),
        (error: unknown) => {
          console.warn(JSON.stringify({ level: 'WARN', message: 'tracing off: the Tracer did not load', error: String(error) }));
          return undefined;
        },
      );
let settled = false;
let loaded: Tracing | undefined;
const waiting: object[] = [];
// registered before any handler's await, so clients made at init are captured before a first call
// (their middleware stacks are cached at the first call: lambda/entry/dependencies.ts, cacheMiddleware)
void loading?.then((tracing) => {
  settled = true;
  loaded = tracing;
  for (const client of waiting.splice(0)) tracing?.captureClient(client);
});

/** Whether the Tracer loaded, settled during INIT (at once where tracing is off): each entry awaits and exports it. */
export const initialized: Promise<boolean> = loading ? loading.then((tracing) => tracing !== undefined) : Promise.resolve(false);

/** An AWS SDK client whose calls are traced (as X-Ray subsegments) wherever tracing is on. */
export function traced<C extends object>(client: C): C {
  if (loaded) loaded.captureClient(client);
  else if (loading && !settled) waiting.push(client);
  return client;
}

/** The handler as one subsegment, annotated with the cold start; the handler itself where tracing is off. */
export function withTracing<E, R>(name: string, handle: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  if (!loading) return handle;
  return async (event, context) => {
    const tracing = await loading;
    return tracing ? tracing.traced(name, () => handle(event, context)) : handle(event, context);
  };
}
