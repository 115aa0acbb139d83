// org bus rule --> org-ingest entry --> ingestOrgEvent --> the read-model table (conditional writes)
import { inParallel } from '../in-parallel';
import { type OrgChange, type OrgEventEnvelope, parseOrgEvent } from '../org/org-change';
import { accountHeardIn, removedDlq } from '../org/org-model';
import type { OrgReadModelStore } from '../org/org-ports';

export interface IngestSummary {
  readonly kind: OrgChange['kind'];
  readonly accountId?: string;
  /** rows written: 0 for a repeat or an older event */
  readonly applied: number;
  /** rows left as they were because what was held is as new or newer */
  readonly stale: number;
  readonly reason?: string;
}

/** Writes in flight for one inventory event (at most 100 DLQs). */
const DLQ_WRITE_CONCURRENCY = 16;

/**
 * Applies one forwarded event; a repeat or an older event changes no row but still counts as the
 * account's sign of life. `now` is the org view's clock: nothing from its future is kept.
 */
export async function ingestOrgEvent(store: OrgReadModelStore, event: OrgEventEnvelope, now: Date = new Date()): Promise<IngestSummary> {
  const change = parseOrgEvent(event, now);
  if (change.kind === 'ignored') return { kind: 'ignored', applied: 0, stale: 0, reason: change.reason };
  let results: boolean[];
  if (change.kind === 'task') {
    results = await Promise.all([store.putTaskIfNewer(change.task), store.putDlqTaskIfNewer(change.task)]);
  } else if (change.kind === 'recovery') {
    results = [await store.putRecoveryIfNewer(change.recovery)];
  } else {
    const rows = [...change.dlqs, ...change.removedQueueArns.map((arn) => removedDlq(change, arn))];
    results = await inParallel(rows, DLQ_WRITE_CONCURRENCY, (dlq) => store.putDlqIfNewer(dlq));
  }
  await store.noteAccount(accountHeardIn(change));
  const applied = results.filter(Boolean).length;
  return { kind: change.kind, accountId: change.accountId, applied, stale: results.length - applied };
}
