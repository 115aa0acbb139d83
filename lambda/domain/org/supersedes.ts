import type { OrgDlq } from './org-dlq';
import type { OrgRecovery } from './org-recovery';
import type { OrgTask } from './org-task';

// EventBridge delivers at least once and in any order: a change is applied only when it is newer than
// what the model holds, so a repeat or a late older event changes nothing.

/** A task's events are ordered by the version its account's conditional writes gave them. */
export function taskSupersedes(held: Pick<OrgTask, 'version'> | undefined, incoming: Pick<OrgTask, 'version'>): boolean {
  return held === undefined || incoming.version > held.version;
}

/**
 * A DLQ's newest task: the later created (then the greater taskId), and of one task the higher
 * version. A DLQ has at most one active task and it is always its newest, so this one task tells
 * whether a redrive of the DLQ is active. Compared as text, as DynamoDB compares them.
 */
export function newestTaskSupersedes(held: Pick<OrgTask, 'createdAt' | 'taskId' | 'version'> | undefined, incoming: Pick<OrgTask, 'createdAt' | 'taskId' | 'version'>): boolean {
  if (held === undefined) return true;
  if (incoming.createdAt !== held.createdAt) return incoming.createdAt > held.createdAt;
  if (incoming.taskId !== held.taskId) return incoming.taskId > held.taskId;
  return incoming.version > held.version;
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
