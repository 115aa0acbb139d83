import { MAX_CLOCK_SKEW_MS, MAX_ITEM_WRITES_PER_SECOND } from './event-bounds';
import type { OrgDlq } from './org-dlq';
import type { OrgRecovery } from './org-recovery';
import type { OrgTask } from './org-task';

// EventBridge delivers at least once and in any order: a change is applied only when it is newer than
// what the model holds, so a repeat or a late older event changes nothing.

/**
 * A task's events are ordered by the version its account's conditional writes gave them, within what
 * its item can have taken: the task's createdAt is the one first held (an event that says another is
 * forged), and the version is at most the held one plus MAX_ITEM_WRITES_PER_SECOND a second since the
 * held event arrived (and the clock skew), so a forged "plausible" version cannot leap ahead of every
 * true one (parseOrgEvent bounds the first by the writes since createdAt).
 */
export function taskSupersedes(
  held: Pick<OrgTask, 'version' | 'createdAt' | 'receivedMs'> | undefined,
  incoming: Pick<OrgTask, 'version' | 'createdAt' | 'receivedMs'>,
): boolean {
  if (held === undefined) return true;
  if (incoming.version <= held.version || incoming.createdAt !== held.createdAt) return false;
  return held.receivedMs === undefined || incoming.receivedMs === undefined || versionOrigin(incoming) - MAX_CLOCK_SKEW_MS <= versionOrigin(held);
}

/**
 * `version - receivedMs`: at MAX_ITEM_WRITES_PER_SECOND (one a millisecond), the ceiling
 * `incoming.version <= held.version + (incoming.receivedMs - held.receivedMs) + skew` is
 * `origin(incoming) - skew <= origin(held)`, a comparison DynamoDB's condition can make on a stored number.
 */
export function versionOrigin(task: Pick<OrgTask, 'version' | 'receivedMs'>): number {
  return task.version - (task.receivedMs ?? 0) * (MAX_ITEM_WRITES_PER_SECOND / 1000);
}

/**
 * A DLQ's newest task: the later created (then the greater taskId), and of one task the higher
 * version. A DLQ has at most one active task and it is always its newest, so this one task tells
 * whether a redrive of the DLQ is active. Compared as text, as DynamoDB compares them.
 */
export function newestTaskSupersedes(
  held: Pick<OrgTask, 'createdAt' | 'taskId' | 'version' | 'receivedMs'> | undefined,
  incoming: Pick<OrgTask, 'createdAt' | 'taskId' | 'version' | 'receivedMs'>,
): boolean {
  if (held === undefined) return true;
  // of the task held, only what taskSupersedes accepts (its own createdAt, a version within the writes since)
  if (incoming.taskId === held.taskId) return taskSupersedes(held, incoming);
  if (incoming.createdAt !== held.createdAt) return incoming.createdAt > held.createdAt;
  return incoming.taskId > held.taskId;
}

/** A DLQ's recovery states are ordered by the version its account's conditional writes gave them. */
export function recoverySupersedes(held: Pick<OrgRecovery, 'version'> | undefined, incoming: Pick<OrgRecovery, 'version'>): boolean {
  return held === undefined || incoming.version > held.version;
}

/** A DLQ's figures are ordered by the inventory run they come from. */
export function dlqSupersedes(held: Pick<OrgDlq, 'asOf'> | undefined, incoming: Pick<OrgDlq, 'asOf'>): boolean {
  return held === undefined || Date.parse(incoming.asOf) > Date.parse(held.asOf);
}

/** An account's inventory totals are ordered by the run they come from, as its DLQs' figures are. */
export function inventorySupersedes(held: string | undefined, incoming: string | undefined): boolean {
  return incoming !== undefined && (held === undefined || Date.parse(incoming) > Date.parse(held));
}

/** The later of two ISO-8601 instants (EventBridge writes whole seconds, the inventory milliseconds). */
export function laterOf(held: string | undefined, incoming: string | undefined): string | undefined {
  if (held === undefined) return incoming;
  if (incoming === undefined) return held;
  return Date.parse(incoming) > Date.parse(held) ? incoming : held;
}
