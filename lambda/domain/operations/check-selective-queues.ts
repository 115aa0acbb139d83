// startSelectiveTask, dryRunSelection --> checkSelectiveQueues --> GetQueueUrl, ListDeadLetterSourceQueues, GetQueueAttributes
//   (SQS's own refusals for the same input, in SQS's words)
import { isFifoQueueArn } from '../dlq-message';
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';

/** SQS's words when a task would move a DLQ into itself. */
export const SAME_QUEUE = 'Source queue arn and destination queue arn cannot be the same.';
export const NOT_A_DLQ = 'Source queue must be configured as a Dead Letter Queue.';
export const MIXED_QUEUE_TYPES = 'The source queue and destination queue must be of the same queue type.';
/**
 * A DLQ with a redrive policy of its own: every receive counts toward its maxReceiveCount, so a look
 * at it (peek, dry run) or the controller's mover could push its messages on to the next queue.
 * SQS's own move task does not count receives that way, so it stays allowed.
 */
export const chainedDlq = (queueName: string, target: string) =>
  `Queue ${queueName} is a chained dead-letter queue: its own RedrivePolicy sends messages on to ${target}, and every receive (a peek, a dry run, the controller's selective mover) counts toward its maxReceiveCount and could push its messages there. Use SQS's own move task (StartMessageMoveTask without selective fields), or remove the queue's RedrivePolicy first`;
export const noSuchQueue = (field: 'SourceArn' | 'DestinationArn') => `The resource that you specified for the ${field} parameter doesn't exist.`;

/**
 * The queues of a selective start or dry run, refused where SQS refuses its own task for the same
 * input (recorded against the emulator and AWS), with SQS's code and message, so callers handle both
 * kinds alike: not the same queue, a source that exists and is a DLQ, a destination that exists and is
 * of the source's type (FIFO or standard). Also refused, with the controller's own reason: a chained
 * DLQ (its receives could push its messages onward).
 */
export async function checkSelectiveQueues(deps: ControllerDependencies, request: StartRequest): Promise<void> {
  const { source, destination } = request;
  // matches sent back into the DLQ would be received and matched again: the pass would never end
  if (destination?.arn === source.arn) throw new SqsError('InvalidParameterValue', SAME_QUEUE);
  if (!deps.dlqs) throw new SqsError('UnsupportedOperation', 'Selective redrive is not available in this deployment (no DLQ access)');
  const { sampler } = await deps.dlqs();
  const [sourceUrl, destinationUrl] = await Promise.all([sampler.queueUrl(source.queueName), destination ? sampler.queueUrl(destination.queueName) : undefined]);
  if (!sourceUrl) throw new SqsError('ResourceNotFoundException', noSuchQueue('SourceArn'));
  // a live work queue is no DLQ: moving or holding its messages would take them from its consumers
  const [isDlq, onwardTarget] = await Promise.all([sampler.isDeadLetterQueue(sourceUrl), sampler.deadLetterTargetOf(sourceUrl)]);
  if (!isDlq) throw new SqsError('InvalidParameterValue', NOT_A_DLQ);
  if (onwardTarget) throw new SqsError('InvalidParameterValue', chainedDlq(source.queueName, onwardTarget));
  if (!destination) return;
  if (!destinationUrl) throw new SqsError('ResourceNotFoundException', noSuchQueue('DestinationArn'));
  if (isFifoQueueArn(destination.arn) !== isFifoQueueArn(source.arn)) throw new SqsError('InvalidParameterValue', MIXED_QUEUE_TYPES);
}
