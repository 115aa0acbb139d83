import { parseQueueArn, type QueueArn } from './queue-arn';
import { quote, SqsError } from './sqs-error';

/** SQS's task handle: base64 of {"taskId": ..., "sourceArn": ...} (see the SQS reference's sample). */
export interface TaskHandle {
  readonly handle: string;
  readonly taskId: string;
  readonly source: QueueArn;
}

/** Real handles are ~200 characters; anything far longer is not one. */
export const MAX_TASK_HANDLE_LENGTH = 2048;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TASK_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseTaskHandle(value: unknown, field = 'TaskHandle'): TaskHandle {
  if (value === undefined || value === null || value === '') {
    throw new SqsError('MissingParameter', `${field} is required: the handle StartMessageMoveTask returned`);
  }
  if (typeof value !== 'string') {
    throw new SqsError('InvalidParameterValue', `${field} must be a string, got ${typeof value}`);
  }
  if (value.length > MAX_TASK_HANDLE_LENGTH) {
    throw new SqsError('InvalidParameterValue', `${field} must be at most ${MAX_TASK_HANDLE_LENGTH} characters, got ${value.length}`);
  }
  const invalid = (why: string) =>
    new SqsError('InvalidParameterValue', `${field} ${quote(value, 24)} is not a task handle: ${why}`);
  if (!BASE64.test(value) || value.length % 4 !== 0) throw invalid('expected base64');

  let decoded: unknown;
  try {
    decoded = JSON.parse(utf8.decode(Buffer.from(value, 'base64')));
  } catch {
    throw invalid('expected base64 of a JSON object');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw invalid('expected base64 of a JSON object');
  }
  const taskId: unknown = Object.hasOwn(decoded, 'taskId') ? (decoded as Record<string, unknown>).taskId : undefined;
  const sourceArn: unknown = Object.hasOwn(decoded, 'sourceArn') ? (decoded as Record<string, unknown>).sourceArn : undefined;
  if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) {
    throw invalid('expected a string "taskId" of letters, digits and -._: (at most 128)');
  }
  if (typeof sourceArn !== 'string') throw invalid('expected a string "sourceArn"');
  return { handle: value, taskId, source: parseQueueArn(sourceArn, `${field}.sourceArn`) };
}

/** Makes a handle in SQS's format; used by tests and by adoption of tasks SQS reports. */
export function encodeTaskHandle(taskId: string, sourceArn: string): string {
  return Buffer.from(JSON.stringify({ taskId, sourceArn }), 'utf8').toString('base64');
}

/** A handle SQS itself answered (ListMessageMoveTasks): undefined rather than an error when it is no handle of the known shape. */
export function tryParseTaskHandle(value: string): TaskHandle | undefined {
  try {
    return parseTaskHandle(value);
  } catch {
    return undefined;
  }
}
