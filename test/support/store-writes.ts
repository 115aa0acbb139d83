import type { RecordedCall } from './recording-proxy';

/**
 * Whether a recorded DynamoDB call is the store's conditional PutItem moving a record from one
 * status to another (every state change of the task table is one).
 */
export function writesStatus(call: RecordedCall, from: string, to: string): boolean {
  if (call.target !== 'DynamoDB_20120810.PutItem') return false;
  const input = JSON.parse(call.body) as { Item?: { status?: { S?: string } }; ExpressionAttributeValues?: Record<string, { S?: string }> };
  return input.Item?.status?.S === to && input.ExpressionAttributeValues?.[':status']?.S === from;
}

/** Whether a recorded DynamoDB call writes a task record (a PutItem), not a DLQ's claim item beside them. */
export function writesTaskRecord(call: RecordedCall): boolean {
  if (call.target !== 'DynamoDB_20120810.PutItem') return false;
  const input = JSON.parse(call.body) as { Item?: { taskId?: { S?: string } } };
  return !input.Item?.taskId?.S?.startsWith('source-claim#');
}
