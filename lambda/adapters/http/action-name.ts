/** The SQS actions the controller answers, as the wire names them (path, X-Amz-Target, form Action). */
export const ACTIONS = ['StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks'] as const;
export type ActionName = (typeof ACTIONS)[number];

export function isActionName(value: string): value is ActionName {
  return (ACTIONS as readonly string[]).includes(value);
}
