// adapter --> peekDlq --> GetQueueUrl, ListDeadLetterSourceQueues, the table's active task -->
// ReceiveMessage (hidden while we work) --> ChangeMessageVisibilityBatch to 0 --> Peeked event
import type { DlqDependencies } from '../dlq/dlq-ports';
import type { PeekRequest } from '../dlq/peek-request';
import type { PeekedMessage } from '../dlq/peeked-message';
import type { Clock, MessageMoveService, OperationLog, TaskStore } from '../ports';
import { queueArnOfName } from '../queue-arn';
import type { QueueScope } from '../queue-scope';
import { SqsError } from '../sqs-error';
import { EVENT_SOURCE } from '../task-event';
import { SAMPLE_VISIBILITY_SECONDS, sampleMessages } from './sample-messages';
import { refuseIfActive } from './start-selective-task';

/** detail-type of the event every peek emits (API.md section 6). */
export const PEEKED_DETAIL_TYPE = 'Dead-Letter Messages Peeked';

/** Peek's messages stay hidden this long at most if they could not be handed back. */
export const PEEK_VISIBILITY_SECONDS = SAMPLE_VISIBILITY_SECONDS;

export interface PeekDependencies extends DlqDependencies {
  readonly store: TaskStore;
  /** SQS's own tasks: one started outside the controller and not yet adopted is active too */
  readonly sqs: MessageMoveService;
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
  // the dry run's check (the table and SQS's own list), with the recorded task named when there is one
  const [active, isDlq, refusal] = await Promise.all([
    deps.store.findActiveTask(queueArn),
    deps.sampler.isDeadLetterQueue(queueUrl),
    refuseIfActive(deps, queueArn).then(() => undefined, (error: unknown) => error),
  ]);
  if (!isDlq) throw new SqsError('InvalidParameterValue', `Queue ${request.queueName} is not a dead-letter queue: no queue's redrive policy names it`);
  if (active) {
    throw new SqsError('InvalidParameterValue', `A redrive of ${request.queueName} is ${active.status} (task ${active.taskId}): peeking now would hide messages from it; try again when it has ended`);
  }
  if (refusal instanceof SqsError && refusal.code === 'InvalidParameterValue') {
    throw new SqsError('InvalidParameterValue', `A redrive of ${request.queueName} is active in SQS: peeking now would hide messages from it; try again when it has ended`);
  }
  if (refusal) throw refusal;

  const messages = await sampleMessages(
    {
      receive: (max, waitSeconds) => deps.sampler.receive(queueUrl, max, PEEK_VISIBILITY_SECONDS, waitSeconds),
      release: (receiptHandles) => deps.sampler.release(queueUrl, receiptHandles),
    },
    request.maxMessages,
    deps.log,
    { operation: 'peek', queueName: request.queueName },
  );

  const peekedAt = deps.clock.now().toISOString();
  await deps.activity
    .publishActivity({
      detailType: PEEKED_DETAIL_TYPE,
      resources: [queueArn],
      detail: { QueueArn: queueArn, QueueName: request.queueName, Count: messages.length, MessageIds: messages.map((message) => message.messageId), PeekedBy: caller, PeekedAt: peekedAt },
    })
    .catch((error: unknown) => deps.log.warn('peek event not sent', { detailType: PEEKED_DETAIL_TYPE, source: EVENT_SOURCE, queueArn, error: String(error) }));
  return { queueArn, messages, peekedAt };
}
