// Lambda async invoke (API start, cancel, reconciler re-drive, its own hand-on) --> runMoverSlice --> one log line per slice
import type { Context } from 'aws-lambda';

import type { MoverInvocation } from '../adapters/lambda/lambda-mover-invoker';
import { EventBusDestination } from '../adapters/replay/event-bus-destination';
import { LambdaFunctionDestination } from '../adapters/replay/lambda-function-destination';
import { RoutingDestination } from '../adapters/replay/routing-destination';
import { SnsTopicDestination } from '../adapters/replay/sns-topic-destination';
import { SqsQueueDestination } from '../adapters/sqs/sqs-queue-destination';
import { type MoverDependencies, runMoverSlice, type SliceSummary } from '../domain/operations/run-mover-slice';
import { TASK_ID } from '../domain/task-handle';
import { createRuntime } from './dependencies';

const runtime = createRuntime();
/**
 * where matches go, by the kind of target: SQS queues through the same client as the DLQ; a replay's
 * functions, topics and buses through clients loaded on a replay's first delivery (API.md section 11)
 */
const clients = { region: runtime.settings.region, clientOptions: runtime.clientOptions };
const destination = runtime.deps.messages
  ? new RoutingDestination({
      queue: new SqsQueueDestination(runtime.deps.messages),
      function: new LambdaFunctionDestination(clients),
      topic: new SnsTopicDestination(clients),
      bus: new EventBusDestination(clients),
    })
  : undefined;
/** a count write waits this long for the other loops' batches, so it carries several (docs/performance.md) */
const COUNT_LINGER_MS = 5;
/** Time kept back from Lambda's deadline for the last batch, the release of held messages and the final write: 90 s of 15 minutes, a tenth of shorter timeouts. */
const DEADLINE_MARGIN_MS = 90_000;

export async function handler(event: MoverInvocation, context: Context): Promise<SliceSummary | undefined> {
  runtime.logger.addContext(context);
  const taskId = event?.taskId;
  if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) {
    runtime.logger.error('mover invoked without a task id', { event: JSON.stringify(event ?? null).slice(0, 200) });
    return undefined;
  }
  const { deps, settings } = runtime;
  if (!deps.messages || !deps.holds || !destination) throw new Error('the mover needs queue access and the hold store');
  const started = performance.now();
  const now = Date.now();
  const remaining = context.getRemainingTimeInMillis();
  const sliceEndsAt = Math.min(now + settings.moverSliceSeconds * 1000, now + remaining - Math.min(DEADLINE_MARGIN_MS, remaining / 10));
  const summary = await runMoverSlice({ ...deps, destination } as MoverDependencies, taskId, {
    owner: context.awsRequestId,
    visibilitySeconds: settings.moverVisibilitySeconds,
    leaseSeconds: settings.moverLeaseSeconds,
    holdSeconds: settings.moverHoldSeconds,
    retentionDays: settings.retentionDays,
    sliceEndsAt,
    countLingerMs: COUNT_LINGER_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  runtime.logger.info('mover slice', { ...summary, durationMs: Math.round(performance.now() - started) });
  return summary;
}
