// adapter --> peekDlq --> GetQueueUrl, ListDeadLetterSourceQueues, the table's active task -->
// ReceiveMessage (hidden while we work) --> ChangeMessageVisibilityBatch to 0 --> Peeked event
import type { DlqDependencies } from '../dlq/dlq-ports';
import type { PeekRequest } from '../dlq/peek-request';
import type { PeekedMessage } from '../dlq/peeked-message';
import type { Clock, OperationLog, TaskStore } from '../ports';
import { queueArnOfName } from '../queue-arn';
import type { QueueScope } from '../queue-scope';
import { SqsError } from '../sqs-error';
import { EVENT_SOURCE } from '../task-event';

/** detail-type of the event every peek emits (API.md section 6). */
export const PEEKED_DETAIL_TYPE = 'Dead-Letter Messages Peeked';

/**
 * How long received messages stay hidden if we could not hand them back: longer than the API
 * function may run (25 s), so the peek never races its own messages, and short enough that a crash
 * keeps them from a consumer or a redrive for half a minute at most.
 */
export const PEEK_VISIBILITY_SECONDS = 30;
/** Stop receiving after this long and answer with what was seen: the API's time budget. */
const RECEIVE_BUDGET_MS = 8000;

export interface PeekDependencies extends DlqDependencies {
  readonly store: TaskStore;
  readonly scope: QueueScope;
  readonly clock: Clock;
  readonly log: OperationLog;
}

export interface PeekResult {
  readonly queueArn: string;
  readonly messages: PeekedMessage[];
  readonly peekedAt: string;
}

/**
 * A sample of a DLQ's messages that loses and keeps none: nothing is deleted, and every message
 * received is made visible again before the answer is sent (each one's receive count rises by one,
 * as with any receive). Refused while a redrive of the DLQ is active: its hidden messages would be
 * skipped by the redrive.
 */
export async function peekDlq(deps: PeekDependencies, request: PeekRequest, caller: string): Promise<PeekResult> {
  const queueArn = queueArnOfName(deps.scope.region, deps.scope.accountId, request.queueName);
  if (!deps.scope.isManaged(queueArn)) {
    throw new SqsError('UnsupportedOperation', `Queue ${request.queueName} is not managed by this controller, so it cannot be peeked`);
  }
  const queueUrl = await deps.sampler.queueUrl(request.queueName);
  if (!queueUrl) throw new SqsError('ResourceNotFoundException', `No queue named ${request.queueName} exists in this account and region`);
  const [active, isDlq] = await Promise.all([deps.store.findActiveTask(queueArn), deps.sampler.isDeadLetterQueue(queueUrl)]);
  if (!isDlq) throw new SqsError('InvalidParameterValue', `Queue ${request.queueName} is not a dead-letter queue: no queue's redrive policy names it`);
  if (active) {
    throw new SqsError('InvalidParameterValue', `A redrive of ${request.queueName} is ${active.status} (task ${active.taskId}): peeking now would hide messages from it; try again when it has ended`);
  }

  const seen = new Map<string, PeekedMessage>();
  const receipts: string[] = [];
  const started = Date.now();
  try {
    while (seen.size < request.maxMessages && Date.now() - started < RECEIVE_BUDGET_MS) {
      const batch = await deps.sampler.receive(queueUrl, Math.min(10, request.maxMessages - seen.size), PEEK_VISIBILITY_SECONDS);
      receipts.push(...batch.map((message) => message.receiptHandle));
      const fresh = batch.filter((message) => !seen.has(message.messageId));
      if (fresh.length === 0) break;
      for (const message of fresh) seen.set(message.messageId, message);
    }
  } finally {
    await releaseAll(deps, queueUrl, request.queueName, receipts);
  }

  const peekedAt = deps.clock.now().toISOString();
  const messages = [...seen.values()].slice(0, request.maxMessages);
  await deps.activity
    .publishActivity({
      detailType: PEEKED_DETAIL_TYPE,
      resources: [queueArn],
      detail: { QueueArn: queueArn, QueueName: request.queueName, Count: messages.length, MessageIds: messages.map((message) => message.messageId), PeekedBy: caller, PeekedAt: peekedAt },
    })
    .catch((error: unknown) => deps.log.warn('peek event not sent', { detailType: PEEKED_DETAIL_TYPE, source: EVENT_SOURCE, queueArn, error: String(error) }));
  return { queueArn, messages, peekedAt };
}

/** Every receipt back to visibility 0; what SQS does not take is tried once more, then logged (it reappears after the timeout). */
async function releaseAll(deps: PeekDependencies, queueUrl: string, queueName: string, receipts: readonly string[]): Promise<void> {
  let pending = [...new Set(receipts)];
  for (let attempt = 1; attempt <= 2 && pending.length > 0; attempt += 1) {
    const batches = Array.from({ length: Math.ceil(pending.length / 10) }, (_, at) => pending.slice(at * 10, at * 10 + 10));
    const failed = await Promise.all(batches.map((batch) => deps.sampler.release(queueUrl, batch).catch(() => batch)));
    pending = failed.flat();
  }
  if (pending.length > 0) {
    deps.log.error('peek could not make every message visible again', { queueName, notReleased: pending.length, visibleAgainWithinSeconds: PEEK_VISIBILITY_SECONDS });
  }
}
