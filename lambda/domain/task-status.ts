/**
 * A message move task's status, spelled as SQS spells it.
 * Lifecycle: RUNNING → CANCELLING → CANCELLED, or RUNNING → COMPLETED | FAILED | CANCELLED.
 * CANCELLING → RUNNING happens only when our cancel did not reach SQS and the claim is given back.
 */
export const TaskStatus = {
  RUNNING: 'RUNNING',
  CANCELLING: 'CANCELLING',
  CANCELLED: 'CANCELLED',
  COMPLETED: 'COMPLETED',
  FAILED: 'FAILED',
} as const;

export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const ALL_STATUSES: readonly TaskStatus[] = Object.values(TaskStatus);
export const ACTIVE_STATUSES: readonly TaskStatus[] = [TaskStatus.RUNNING, TaskStatus.CANCELLING];

const NEXT: Record<TaskStatus, readonly TaskStatus[]> = {
  RUNNING: ['CANCELLING', 'CANCELLED', 'COMPLETED', 'FAILED'],
  CANCELLING: ['CANCELLED', 'COMPLETED', 'FAILED', 'RUNNING'],
  CANCELLED: [],
  COMPLETED: [],
  FAILED: [],
};

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === 'string' && (ALL_STATUSES as readonly string[]).includes(value);
}

export function isActive(status: TaskStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export function isFinal(status: TaskStatus): boolean {
  return NEXT[status].length === 0;
}

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return NEXT[from].includes(to);
}
