import { isNoSuchQueue, isPermanentRefusal, SqsError } from '../sqs-error';

/** SQS's own FailureReason for a move task whose queue went away (EMULATORS.md, recorded from AWS). */
export const NON_EXISTENT_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';

/**
 * Why the task fails, for an error that repeating will not change: a queue gone, access denied, a KMS
 * key refused. Anything else (throttling, SQS's faults, the network) is thrown: the slice is re-driven.
 */
export function failureReasonOf(error: unknown): string {
  if (error instanceof SqsError && isNoSuchQueue(error)) return NON_EXISTENT_QUEUE;
  if (isPermanentRefusal(error)) return error.code;
  throw error;
}
