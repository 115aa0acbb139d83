// GET /dlqs/{queueName}/history --> readDlqHistory --> the history store (the task table)
import type { DlqHistoryReader, HistoryPoint } from '../dlq/dlq-history';
import type { HistoryRequest } from '../dlq/history-request';
import type { Clock } from '../ports';
import { SqsError } from '../sqs-error';

/** The queue's points of the last `hours`, oldest first; no points (not an error) for a queue the inventory never listed. */
export async function readDlqHistory(deps: { readonly history?: DlqHistoryReader; readonly clock: Clock }, request: HistoryRequest): Promise<HistoryPoint[]> {
  if (!deps.history) throw new SqsError('InternalFailure', 'the DLQ history is not wired in this runtime', 500);
  const until = deps.clock.now();
  const since = new Date(until.getTime() - request.hours * 3_600_000);
  return deps.history.read(request.queueName, since.toISOString(), until.toISOString());
}
