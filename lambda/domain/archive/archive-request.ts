// POST /dlqs/{queueName}/archive: the path's queue, Delete, and everything a selective start takes but a destination
import { parseFilterPolicy } from '../content-filter/filter-policy';
import { queueArnOfName } from '../queue-arn';
import { type Params, parseStartRequest, SELECTION_FIELDS, type StartRequest } from '../requests';
import { quote, SqsError } from '../sqs-error';

export interface ArchiveRequest {
  /** a selective start of the DLQ: selection, rate, reason, DryRun */
  readonly start: StartRequest;
  /** a discard: each archived message is deleted once the object holding it is stored */
  readonly delete: boolean;
}

export const ARCHIVE_FIELDS = ['Reason', 'Delete', 'MaxNumberOfMessagesPerSecond', 'Force', ...SELECTION_FIELDS] as const;
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;

/** `{"Reason", "Delete"?, "MaxNumberOfMessagesPerSecond"?}` plus section 7's selection fields (API.md section 12); any other field is refused by name. */
export function parseArchiveRequest(queueName: string, params: Params, home: { readonly region: string; readonly accountId: string }): ArchiveRequest {
  if (!QUEUE_NAME.test(queueName)) {
    throw new SqsError('InvalidParameterValue', `The path must name a queue (1 to 80 of A-Z a-z 0-9 _ -, FIFO queues ending in .fifo), got ${quote(queueName)}`);
  }
  const unknown = Object.keys(params).filter((name) => !(ARCHIVE_FIELDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new SqsError('InvalidParameterValue', `An archive does not take ${unknown.slice(0, 5).map(quote).join(', ')}: it takes ${ARCHIVE_FIELDS.join(', ')}`);
  }
  const { Delete: remove, ...rest } = params;
  if (remove !== undefined && remove !== null && typeof remove !== 'boolean') throw new SqsError('InvalidParameterValue', `Delete must be true or false, got ${quote(remove)}`);
  const start = parseStartRequest({ ...rest, SourceArn: queueArnOfName(home.region, home.accountId, queueName) }, parseFilterPolicy);
  return { start: { ...start, selection: start.selection ?? {} }, delete: remove === true };
}
