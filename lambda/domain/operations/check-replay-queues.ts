// startSelectiveTask, dryRunSelection (a replay) --> checkReplayQueues --> GetQueueUrl, GetQueueAttributes
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { chainedDlq, noSuchQueue, SAME_QUEUE } from './check-selective-queues';

/**
 * A replay's queues: the source exists and is no chained DLQ (its receives would push messages on),
 * a queue DestinationArn exists and is not the source; a function, topic or bus DestinationArn is
 * one the configuration allows. The source is nobody's deadLetterTargetArn (Lambda and EventBridge
 * name it in their own settings): the inventory said what it is.
 */
export async function checkReplayQueues(deps: ControllerDependencies, request: StartRequest): Promise<void> {
  const { source, destination, targetDestination } = request;
  if (destination?.arn === source.arn) throw new SqsError('InvalidParameterValue', SAME_QUEUE);
  if (targetDestination) {
    if (!deps.replayScope) throw new SqsError('UnsupportedOperation', 'Replays to functions, topics or buses are not configured in this deployment (replayTargets)');
    deps.replayScope.check(targetDestination, 'DestinationArn');
  }
  if (!deps.dlqs) throw new SqsError('UnsupportedOperation', 'Replay is not available in this deployment (no DLQ access)');
  const { sampler } = await deps.dlqs();
  const [sourceUrl, destinationUrl] = await Promise.all([sampler.queueUrl(source.queueName), destination ? sampler.queueUrl(destination.queueName) : undefined]);
  if (!sourceUrl) throw new SqsError('ResourceNotFoundException', noSuchQueue('SourceArn'));
  const onwardTarget = await sampler.deadLetterTargetOf(sourceUrl);
  if (onwardTarget) throw new SqsError('InvalidParameterValue', chainedDlq(source.queueName, onwardTarget));
  if (destination && !destinationUrl) throw new SqsError('ResourceNotFoundException', noSuchQueue('DestinationArn'));
}
