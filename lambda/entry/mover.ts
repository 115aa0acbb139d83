// Lambda async invoke (API start, cancel, reconciler re-drive, its own hand-on) --> runMoverSlice --> one log line per slice
import type { Context } from 'aws-lambda';

import type { MoverInvocation } from '../adapters/lambda/lambda-mover-invoker';
import { EventBusDestination } from '../adapters/replay/event-bus-destination';
import { LambdaFunctionDestination } from '../adapters/replay/lambda-function-destination';
import { RoutingDestination } from '../adapters/replay/routing-destination';
import { SnsTopicDestination } from '../adapters/replay/sns-topic-destination';
import { SqsQueueDestination } from '../adapters/sqs/sqs-queue-destination';
import { ArchiveDestination } from '../domain/archive/archive-destination';
import { decisionDestination } from '../domain/decisions/decision-destination';
import { parseEdit } from '../domain/decisions/message-decision';
import type { MessageDestination } from '../domain/mover/message-destination';
import { runArchiveReplaySlice } from '../domain/operations/run-archive-replay-slice';
import { type MoverDependencies, runMoverSlice, type SliceSummary } from '../domain/operations/run-mover-slice';
import { TASK_ID } from '../domain/task-handle';
import { createRuntime } from './dependencies';
import { clockMs } from './elapsed-ms';
import { withMetrics } from './with-metrics';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const runtime = createRuntime(process.env, traced);
/**
 * where matches go, by the kind of target: SQS queues through the same client as the DLQ; a replay's
 * functions, topics and buses through clients loaded on a replay's first delivery (API.md section 11)
 */
const clients = { region: runtime.settings.region, clientOptions: runtime.clientOptions, traced };
const destination = runtime.deps.messages
  ? new RoutingDestination({
      queue: new SqsQueueDestination(runtime.deps.messages),
      function: new LambdaFunctionDestination(clients),
      topic: new SnsTopicDestination(clients),
      bus: new EventBusDestination(clients),
    })
  : undefined;
/**
 * A count write waits up to this long for the other loops' batches, so it carries several: it goes as soon as
 * every running loop has a batch pending, so the bound matters only when the loops are slow or uneven
 * (docs/performance.md). Far inside a batch's time budget (half its visibility), which its delete must meet.
 */
const COUNT_LINGER_MS = 250;
/** Time kept back from Lambda's deadline for the last batch, the release of held messages and the final write: 90 s of 15 minutes, a tenth of shorter timeouts. */
const DEADLINE_MARGIN_MS = 90_000;
/** A one-message pass run while the API waits (MoverInvoker.decide) ends within this, under API Gateway's 29 s. */
const DECISION_SLICE_MS = 20_000;

async function handle(event: MoverInvocation, context: Context): Promise<SliceSummary | undefined> {
  runtime.logger.addContext(context);
  const taskId = event?.taskId;
  if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) {
    runtime.logger.error('mover invoked without a task id', { event: JSON.stringify(event ?? null).slice(0, 200) });
    return undefined;
  }
  const { deps, settings } = runtime;
  if (!deps.messages || !deps.holds || !destination) throw new Error('the mover needs queue access and the hold store');
  const started = clockMs();
  const now = Date.now();
  const remaining = context.getRemainingTimeInMillis();
  const decision = event.decision;
  const sliceEndsAt = Math.min(now + (decision ? DECISION_SLICE_MS : settings.moverSliceSeconds * 1000), now + remaining - Math.min(DEADLINE_MARGIN_MS, remaining / 10));
  // one message at a time: the task's action picks the destination (an edit's body comes only with the API's call)
  const record = await deps.store.get(taskId);
  const edit = decision?.edit ? parseEdit({ Body: decision.edit.Body, ...(decision.edit.MessageAttributes === undefined ? {} : { MessageAttributes: decision.edit.MessageAttributes }) }) : undefined;
  // discards and the originals of edits go to the archive bucket, under the task's prefix; without a bucket those decisions fail, nothing is sent
  const archive: MessageDestination | undefined = record && deps.archive ? new ArchiveDestination(deps.archive, { taskId, queueArn: record.sourceArn, startedAt: new Date(record.createdAt) }, deps.clock) : undefined;
  const chosen = record?.messageAction ? decisionDestination(record, destination, archive, edit, deps.replayScope) : destination;
  // a replay from the archive reads the archive's objects, not a DLQ (API.md section 12); the same lease, counts and destinations
  const run = record?.kind === 'archive-replay' ? runArchiveReplaySlice : runMoverSlice;
  const summary = await run({ ...deps, destination: chosen } as MoverDependencies, taskId, {
    owner: context.awsRequestId,
    visibilitySeconds: settings.moverVisibilitySeconds,
    leaseSeconds: settings.moverLeaseSeconds,
    holdSeconds: settings.moverHoldSeconds,
    retentionDays: settings.retentionDays,
    sliceEndsAt,
    countLingerMs: COUNT_LINGER_MS,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  runtime.logger.info('mover slice', { ...summary, durationMs: Math.round(clockMs() - started) });
  return summary;
}

export const handler = withTracing('mover', withMetrics(runtime.metrics, handle));

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
