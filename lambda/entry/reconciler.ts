// EventBridge schedule (every minute; every 5 s locally) --> reconcileTasks --> one log line per run
import type { Context, ScheduledEvent } from 'aws-lambda';

import { archiveExpiring, type ArchiveExpiringSummary } from '../domain/operations/archive-expiring';
import { expiryArchiver } from '../domain/operations/expiry-archiver';
import { type ReconcileSummary,reconcileTasks } from '../domain/operations/reconcile-tasks';
import { type RecoveryTickSummary, runRecoveryTick } from '../domain/operations/run-recovery-tick';
import { createRuntime } from './dependencies';
import { clockMs, elapsedMs } from './elapsed-ms';
import { withMetrics } from './with-metrics';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const runtime = createRuntime(process.env, traced);

/** archiveBeforeExpiry (API.md section 12): what would expire within the window is archived and deleted, as tasks started by the controller. */
async function archiveBeforeExpiry(): Promise<ArchiveExpiringSummary | undefined> {
  const { deps, settings } = runtime;
  const window = settings.archiveBeforeExpirySeconds;
  if (window === undefined || !deps.dlqs) return undefined;
  try {
    const { inventory } = await deps.dlqs();
    return await archiveExpiring({ inventory, store: deps.store, archiver: expiryArchiver(deps), clock: deps.clock, log: deps.log }, window);
  } catch (error) {
    runtime.logger.error('archiveBeforeExpiry: the tick could not run; the next one tries again', { error: String(error) });
    return { expiring: 0, started: 0, busy: 0, errors: 1 };
  }
}

async function handle(event: ScheduledEvent, context: Context): Promise<ReconcileSummary & { recovery?: RecoveryTickSummary; expiry?: ArchiveExpiringSummary }> {
  const started = clockMs();
  runtime.logger.addContext(context);
  const summary = await reconcileTasks(runtime.deps, {
    retentionDays: runtime.settings.retentionDays,
    inFlightGraceSeconds: runtime.settings.inFlightGraceSeconds,
    discoveryQueues: runtime.settings.discoveryQueues,
  });
  // recovery's timed steps after the tasks are in step with SQS, so it decides on fresh statuses
  const recovery = runtime.deps.recovery ? await runRecoveryTick(runtime.deps, runtime.deps.recovery) : undefined;
  const expiry = await archiveBeforeExpiry();
  const line = { ...summary, ...(recovery ? { recovery } : {}), ...(expiry ? { expiry } : {}), scheduledAt: event?.time, durationMs: elapsedMs(started) };
  if (summary.errors > 0 || (recovery?.errors ?? 0) > 0 || (expiry?.errors ?? 0) > 0) runtime.logger.error('reconcile finished with errors', line);
  // a run that changed nothing is a debug line: locally one runs every 5 seconds
  else if (summary.written + summary.adopted + summary.eventsSent + summary.unmatched + summary.moversInvoked + (expiry?.started ?? 0) === 0) runtime.logger.debug('reconcile', line);
  else runtime.logger.info('reconcile', line);
  return { ...summary, ...(recovery ? { recovery } : {}), ...(expiry ? { expiry } : {}) };
}

export const handler = withTracing('reconciler', withMetrics(runtime.metrics, handle));

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
