// POST /archives/{taskId}/replay: Reason, DestinationArn?, MaxNumberOfMessagesPerSecond? and section 7's selection fields (no DryRun)
import { parseFilterPolicy } from '../content-filter/filter-policy';
import { type Params, parseStartRequest, SELECTION_FIELDS, type StartRequest } from '../requests';
import { quote, SqsError } from '../sqs-error';

export const ARCHIVE_REPLAY_FIELDS = ['Reason', 'DestinationArn', 'MaxNumberOfMessagesPerSecond', 'Force', ...SELECTION_FIELDS.filter((name) => name !== 'DryRun')] as const;

/**
 * Checks the request against the archive's DLQ (`queueArn`, known once the archive task is read): any
 * other field is refused by name; a DestinationArn must be an SQS queue (the archive holds SQS messages).
 */
export function parseArchiveReplayRequest(params: Params, queueArn: string): StartRequest {
  const unknown = Object.keys(params).filter((name) => !(ARCHIVE_REPLAY_FIELDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new SqsError('InvalidParameterValue', `A replay from the archive does not take ${unknown.slice(0, 5).map(quote).join(', ')}: it takes ${ARCHIVE_REPLAY_FIELDS.join(', ')}`);
  }
  const start = parseStartRequest({ ...params, SourceArn: queueArn }, parseFilterPolicy);
  if (start.targetDestination) throw new SqsError('InvalidParameterValue', `DestinationArn must be an SQS queue ARN: the archive holds SQS messages, got a ${start.targetDestination.kind}`);
  return { ...start, selection: start.selection ?? {} };
}
