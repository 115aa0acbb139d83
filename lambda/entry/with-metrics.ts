import type { Context } from 'aws-lambda';

import type { PowertoolsControllerMetrics } from '../adapters/cloudwatch/powertools-controller-metrics';

/**
 * The handler with its metrics: the cold start counted on the first invocation, and what the
 * invocation counted written before it returns or throws (a frozen instance would lose it).
 */
export function withMetrics<E, R>(metrics: PowertoolsControllerMetrics, handle: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R> {
  return async (event, context) => {
    metrics.captureColdStart(context.functionName);
    try {
      return await handle(event, context);
    } finally {
      metrics.flush();
    }
  };
}
