// startSelectiveTask, dryRunSelection --> checkSelectiveQueues --> (SQS's own refusals for the same input)
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';

/** SQS's words when a task would move a DLQ into itself. */
export const SAME_QUEUE = 'Source queue arn and destination queue arn cannot be the same.';

/**
 * The queues of a selective start or dry run, refused where SQS refuses its own task for the same
 * input, with SQS's code and message, so callers handle both kinds alike.
 */
export function checkSelectiveQueues(request: StartRequest): void {
  // matches sent back into the DLQ would be received and matched again: the pass would never end
  if (request.destination?.arn === request.source.arn) throw new SqsError('InvalidParameterValue', SAME_QUEUE);
}
