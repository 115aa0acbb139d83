import type { HistoryPoint } from '../../domain/dlq/dlq-history';

/** One point of GET /dlqs/{queueName}/history, in SQS's words for SQS's figures (API.md section 13). */
export function historyPointView(point: HistoryPoint): Record<string, unknown> {
  return { at: point.at, ApproximateNumberOfMessages: point.approximateNumberOfMessages, NewMessages: point.newMessages };
}
