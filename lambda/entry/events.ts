// EventBridge rule target --> toIncomingEvent --> cancelFromEvent --> one log line per event
import type { Context } from 'aws-lambda';

import { toIncomingEvent } from '../adapters/eventbridge/incoming-event';
import { readCircuitBreakerAlarms, readEventSenderPolicy } from '../config/environment';
import { CANCEL_DETAIL_TYPE } from '../domain/event-types';
import { cancelFromEvent, type EventOutcome } from '../domain/operations/cancel-from-event';
import { holdAfterEventCancel } from '../domain/operations/check-recovery-pause';
import { breakerOnlyAlarms, recoverFromAlarm, type RecoveryEventOutcome } from '../domain/operations/recover-from-alarm';
import { createRuntime } from './dependencies';
import { clockMs, elapsedMs } from './elapsed-ms';
import { withMetrics } from './with-metrics';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const runtime = createRuntime(process.env, traced);
// one alarm map: the DLQs with a recovery policy are recovery's, the rest the circuit breaker's
const alarms = breakerOnlyAlarms(readCircuitBreakerAlarms(process.env), runtime.deps.recovery);
const senders = readEventSenderPolicy(process.env);

/**
 * Returns normally for every outcome, including events it drops (they can never succeed, so a retry
 * would only repeat the drop). Throws only for transient failures, so Lambda's and EventBridge's
 * retries try again and the stack's dead-letter queue keeps what still fails.
 */
async function handle(payload: unknown, context: Context): Promise<EventOutcome & { recovery?: RecoveryEventOutcome[] }> {
  const started = clockMs();
  runtime.logger.addContext(context);
  const reading = toIncomingEvent(payload);
  if (!reading.ok) {
    runtime.logger.warn('event dropped', { outcome: 'dropped', reason: reading.reason });
    return { outcome: 'dropped', reason: reading.reason };
  }
  const { event } = reading;
  const line = { eventId: event.id, account: event.account, region: event.region, source: event.source, detailType: event.detailType, ruleName: event.ruleName };
  try {
    const recovered = runtime.deps.recovery ? await recoverFromAlarm(runtime.deps, runtime.deps.recovery, event, senders) : [];
    const outcome = { ...(await cancelFromEvent(runtime.deps, event, alarms, senders)), ...(recovered.length > 0 ? { recovery: recovered } : {}) };
    // a cancel a person's tooling sent holds the DLQ's recovery, as the API's cancel does
    if (event.detailType === CANCEL_DETAIL_TYPE && outcome.outcome === 'cancelled') await holdAfterEventCancel(runtime.deps, outcome.taskId, event);
    const durationMs = elapsedMs(started);
    if (outcome.outcome === 'dropped') runtime.logger.warn('event dropped', { ...line, ...outcome, durationMs });
    else if (outcome.outcome === 'several' && outcome.outcomes.some((each) => each.outcome === 'dropped')) runtime.logger.warn('event partly dropped', { ...line, ...outcome, durationMs });
    else runtime.logger.info('event', { ...line, ...outcome, durationMs });
    return outcome;
  } catch (error) {
    runtime.logger.error('event failed; thrown so it is retried', { ...line, error: error as Error });
    throw error;
  }
}

export const handler = withTracing('events', withMetrics(runtime.metrics, handle));

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
