// transition write (event promised on the item) --> drainOutboxes --> EventBridge PutEvents --> task table (entries removed)
import type { ControllerDependencies } from '../ports';
import type { TaskRecord } from '../task-record';
import { withOutbox } from '../transitions';

const MAX_REMOVE_ATTEMPTS = 5;

/** Events a writer took on with its last write of `record`: it alone sends them within the grace. */
export interface OutboxClaim {
  readonly record: TaskRecord;
  readonly eventIds: readonly string[];
}

/**
 * Sends the claimed events, then removes the sent ones from each item. A crash before the send
 * leaves them on the item for the reconciler's re-drain; a crash after the send and before the
 * removal sends them again, with the same ids (see docs/events.md). Answers the count sent.
 */
export async function drainOutboxes(deps: Pick<ControllerDependencies, 'store' | 'events'>, claims: readonly OutboxClaim[]): Promise<number> {
  const sentIds = await sendClaimed(deps, claims);
  await Promise.all(claims.map(({ record }) => removeFromOutbox(deps, record, sentIds)));
  return sentIds.size;
}

/** The send half of a drain: answers the ids EventBridge accepted. */
export async function sendClaimed(deps: Pick<ControllerDependencies, 'events'>, claims: readonly OutboxClaim[]): Promise<Set<string>> {
  const pending = claims.flatMap(({ record, eventIds }) => (record.outbox ?? []).filter((event) => eventIds.includes(event.id)));
  if (pending.length === 0) return new Set();
  const { sent } = await deps.events.publish(pending);
  return new Set(sent);
}

/** Removes sent events from one item; a newer write (a reconciler's progress) means re-read and retry. */
export async function removeFromOutbox(deps: Pick<ControllerDependencies, 'store'>, record: TaskRecord, sentIds: ReadonlySet<string>): Promise<void> {
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_REMOVE_ATTEMPTS && current; attempt += 1) {
    const outbox = current.outbox ?? [];
    const remaining = outbox.filter((event) => !sentIds.has(event.id));
    if (remaining.length === outbox.length) return;
    const next = withOutbox({ ...current, version: current.version + 1 }, remaining);
    if (await deps.store.replace(current, next)) return;
    current = await deps.store.get(record.taskId);
  }
  throw new Error(`task ${record.taskId}: sent events stayed in the outbox after ${MAX_REMOVE_ATTEMPTS} attempts`);
}
