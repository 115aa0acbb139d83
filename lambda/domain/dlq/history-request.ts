import { quote, SqsError } from '../sqs-error';
import { HISTORY_KEPT_HOURS } from './dlq-history';
import { parseQueueName } from './queue-name';

export interface HistoryRequest {
  readonly queueName: string;
  readonly hours: number;
}

export const DEFAULT_HISTORY_HOURS = 24;

/** GET /dlqs/{queueName}/history?hours=1..168: the name from the path, the window from the query. */
export function parseHistoryRequest(queueName: string, query: Readonly<Record<string, string>>): HistoryRequest {
  for (const name of Object.keys(query)) {
    if (name !== 'hours') throw new SqsError('InvalidParameterValue', `The history takes only hours (1 to ${HISTORY_KEPT_HOURS}), not ${quote(name)}`);
  }
  const text = query.hours;
  if (text === undefined) return { queueName: parseQueueName(queueName), hours: DEFAULT_HISTORY_HOURS };
  const hours = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(hours >= 1 && hours <= HISTORY_KEPT_HOURS)) {
    throw new SqsError('InvalidParameterValue', `hours must be an integer from 1 to ${HISTORY_KEPT_HOURS}, got ${quote(text)}`);
  }
  return { queueName: parseQueueName(queueName), hours };
}
