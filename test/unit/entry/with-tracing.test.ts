import type { Context } from 'aws-lambda';

import { ENV } from '../../../lambda/config/environment';

type WithTracing = typeof import('../../../lambda/entry/with-tracing');

/** with-tracing.ts decides at its import, as at a Lambda instance's init: a fresh copy under `value`. */
function loadWith(value: string | undefined): WithTracing {
  const saved = process.env[ENV.traceEnabled];
  if (value === undefined) delete process.env[ENV.traceEnabled];
  else process.env[ENV.traceEnabled] = value;
  try {
    let loaded: WithTracing | undefined;
    jest.isolateModules(() => {
      loaded = jest.requireActual<WithTracing>('../../../lambda/entry/with-tracing');
    });
    return loaded!;
  } finally {
    if (saved === undefined) delete process.env[ENV.traceEnabled];
    else process.env[ENV.traceEnabled] = saved;
  }
}

const context = { functionName: 'redrive-controller-inventory' } as Context;

describe('withTracing', () => {
  it('is the handler itself, and leaves clients alone, where POWERTOOLS_TRACE_ENABLED is false (the local stack)', () => {
    // Prepare
    const { traced, withTracing } = loadWith('false');
    const handle = (event: number) => Promise.resolve(event + 1);
    const client = { middlewareStack: { use: jest.fn() } };

    // Act
    const wrapped = withTracing('inventory', handle);
    traced(client);

    // Assess
    expect(wrapped).toBe(handle);
    expect(client.middlewareStack.use).not.toHaveBeenCalled();
  });

  it('loads the Tracer where tracing is on, and answers what the handler answers (or throws) without a segment', async () => {
    // Prepare: on by default; outside Lambda there is no segment, so the work runs untraced
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { withTracing } = loadWith(undefined);
    const ok = withTracing('reconciler', (event: number) => Promise.resolve(event * 2));
    const failing = withTracing('reconciler', () => Promise.reject(new Error('boom')));

    // Act
    const answer = await ok(21, context);

    // Assess
    expect(answer).toBe(42);
    await expect(failing(0, context)).rejects.toThrow('boom');
    // with-tracing.ts warns 'tracing off: the Tracer did not load' when its import fails
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
