// EventBridge schedule (every minute; every 5 s locally) --> reconcileTasks --> one log line per run
import type { Context, ScheduledEvent } from 'aws-lambda';

import { type ReconcileSummary,reconcileTasks } from '../domain/operations/reconcile-tasks';
import { type RecoveryTickSummary, runRecoveryTick } from '../domain/operations/run-recovery-tick';
import { createRuntime } from './dependencies';
import { elapsedMs } from './elapsed-ms';
import { withMetrics } from './with-metrics';
import { traced, withTracing } from './with-tracing';

const runtime = createRuntime(process.env, traced);

async function handle(event: ScheduledEvent, context: Context): Promise<ReconcileSummary & { recovery?: RecoveryTickSummary }> {
  const started = performance.now();
  runtime.logger.addContext(context);
  const summary = await reconcileTasks(runtime.deps, {
    retentionDays: runtime.settings.retentionDays,
    inFlightGraceSeconds: runtime.settings.inFlightGraceSeconds,
    discoveryQueues: runtime.settings.discoveryQueues,
  });
  // recovery's timed steps after the tasks are in step with SQS, so it decides on fresh statuses
  const recovery = runtime.deps.recovery ? await runRecoveryTick(runtime.deps, runtime.deps.recovery) : undefined;
  const line = { ...summary, ...(recovery ? { recovery } : {}), scheduledAt: event?.time, durationMs: elapsedMs(started) };
  if (summary.errors > 0 || (recovery?.errors ?? 0) > 0) runtime.logger.error('reconcile finished with errors', line);
  // a run that changed nothing is a debug line: locally one runs every 5 seconds
  else if (summary.written + summary.adopted + summary.eventsSent + summary.unmatched + summary.moversInvoked === 0) runtime.logger.debug('reconcile', line);
  else runtime.logger.info('reconcile', line);
  return recovery ? { ...summary, recovery } : summary;
}

export const handler = withTracing('reconciler', withMetrics(runtime.metrics, handle));
