import type { Params } from '../requests';
import { quote, SqsError } from '../sqs-error';

export interface PeekRequest {
  readonly queueName: string;
  readonly maxMessages: number;
}

export const DEFAULT_PEEK_MESSAGES = 10;
export const MAX_PEEK_MESSAGES = 100;
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;

/** POST /dlqs/{queueName}/peek: the name from the path, `{"MaxMessages"?: 1..100}` from the body. */
export function parsePeekRequest(queueName: string, params: Params): PeekRequest {
  if (!QUEUE_NAME.test(queueName)) {
    throw new SqsError('InvalidParameterValue', `The path must name a queue (1 to 80 of A-Z a-z 0-9 _ -, FIFO queues ending in .fifo), got ${quote(queueName)}`);
  }
  for (const name of Object.keys(params)) {
    if (name !== 'MaxMessages') throw new SqsError('InvalidParameterValue', `A peek does not take ${quote(name)}; it takes MaxMessages (1 to ${MAX_PEEK_MESSAGES})`);
  }
  const max = params.MaxMessages;
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 1 && max <= MAX_PEEK_MESSAGES)) {
    throw new SqsError('InvalidParameterValue', `MaxMessages must be an integer from 1 to ${MAX_PEEK_MESSAGES}, got ${quote(max)}`);
  }
  return { queueName, maxMessages: max ?? DEFAULT_PEEK_MESSAGES };
}
