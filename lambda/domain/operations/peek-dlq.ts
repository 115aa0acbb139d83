// adapter --> peekDlq --> GetQueueUrl, ListDeadLetterSourceQueues (else the DLQ inventory), GetQueueAttributes, the table's active task -->
// ReceiveMessage (hidden while we work) --> ChangeMessageVisibilityBatch to 0 --> Peeked event
import type { ActivityPublisher, DlqDependencies } from '../dlq/dlq-ports';
import type { PeekRequest } from '../dlq/peek-request';
import type { PeekedMessage } from '../dlq/peeked-message';
import type { Clock, MessageMoveService, OperationLog, TaskStore } from '../ports';
import { queueArnOfName } from '../queue-arn';
import type { QueueScope } from '../queue-scope';
import { SqsError } from '../sqs-error';
import { EVENT_SOURCE } from '../task-event';
import { chainedDlq } from './check-selective-queues';
import { replaySourceIn } from './replay-source';
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
 * skipped by the redrive; and on a chained DLQ, whose receives count toward its own maxReceiveCount.
 */
export async function peekDlq(deps: PeekDependencies, request: PeekRequest, caller: string): Promise<PeekResult> {
  const queueArn = queueArnOfName(deps.scope.region, deps.scope.accountId, request.queueName);
  if (!deps.scope.isManaged(queueArn)) {
    throw new SqsError('UnsupportedOperation', `Queue ${request.queueName} is not managed by this controller, so it cannot be peeked`);
  }
  const queueUrl = await deps.sampler.queueUrl(request.queueName);
  if (!queueUrl) throw new SqsError('ResourceNotFoundException', `No queue named ${request.queueName} exists in this account and region`);
  // the dry run's check (the table and SQS's own list), with the recorded task named when there is one
  const [active, isDlq, onwardTarget, refusal] = await Promise.all([
    deps.store.findActiveTask(queueArn),
    deps.sampler.isDeadLetterQueue(queueUrl),
    deps.sampler.deadLetterTargetOf(queueUrl),
    refuseIfActive(deps, queueArn).then(() => undefined, (error: unknown) => error),
  ]);
  // a Lambda or EventBridge DLQ is nobody's deadLetterTargetArn: the inventory knows it (as archive and the decisions take it)
  if (!isDlq && !(await replaySourceIn(deps.inventory, queueArn).catch(() => undefined))) {
    throw new SqsError('InvalidParameterValue', `Queue ${request.queueName} is not a dead-letter queue: no queue's redrive policy names it, and the inventory knows no Lambda function or EventBridge rule target that fails into it`);
  }
  if (onwardTarget) throw new SqsError('InvalidParameterValue', chainedDlq(request.queueName, onwardTarget));
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
  await announcePeek(deps, { queueArn, queueName: request.queueName, messageIds: messages.map((message) => message.messageId), by: caller, at: peekedAt });
  return { queueArn, messages, peekedAt };
}

/** What one look at a DLQ's messages announces: who, which queue, which messages (ids only, never bodies). */
export interface PeekAnnouncement {
  readonly queueArn: string;
  readonly queueName: string;
  readonly messageIds: readonly string[];
  readonly by: string;
  readonly at: string;
  /** a selective start's DryRun (API.md section 10): it sampled, and its filter read, these messages */
  readonly dryRun?: boolean;
}

/** Emits `Dead-Letter Messages Peeked` for a peek or a dry run; a failure to send is logged, not the caller's. */
export async function announcePeek(deps: { readonly activity: ActivityPublisher; readonly log: OperationLog }, peek: PeekAnnouncement): Promise<void> {
  await deps.activity
    .publishActivity({
      detailType: PEEKED_DETAIL_TYPE,
      resources: [peek.queueArn],
      detail: {
        QueueArn: peek.queueArn,
        QueueName: peek.queueName,
        Count: peek.messageIds.length,
        MessageIds: [...peek.messageIds],
        PeekedBy: peek.by,
        PeekedAt: peek.at,
        ...(peek.dryRun ? { DryRun: true } : {}),
      },
    })
    .catch((error: unknown) => deps.log.warn('peek event not sent', { detailType: PEEKED_DETAIL_TYPE, source: EVENT_SOURCE, queueArn: peek.queueArn, ...(peek.dryRun ? { dryRun: true } : {}), error: String(error) }));
}
