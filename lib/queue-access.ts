import * as iam from 'aws-cdk-lib/aws-iam';

import type { ControllerConfig } from './config/controller-config';

/** Which move-task actions a function uses; `start` also needs to send to destinations. */
export type MoveTaskAction = 'start' | 'cancel' | 'list';

const MOVE_TASK_ACTIONS: Record<MoveTaskAction, string> = {
  start: 'sqs:StartMessageMoveTask',
  cancel: 'sqs:CancelMessageMoveTask',
  list: 'sqs:ListMessageMoveTasks',
};

/**
 * The IAM statements a function needs to run message move tasks on the configured queues only
 * (docs/permissions.md has the reasoning). A move task runs with its caller's permissions, so:
 * - on the source (a managed DLQ): the move-task action, plus sqs:ReceiveMessage,
 *   sqs:DeleteMessage and sqs:GetQueueAttributes, which SQS checks for every move-task action;
 * - on the destination (an allowed destination, or a source queue when redriving back):
 *   sqs:SendMessage;
 * - for SSE-KMS queues, only to a function that starts tasks: kms:Decrypt to read the source,
 *   kms:GenerateDataKey and kms:Decrypt to write the destination, only through SQS in this region.
 *   The started task moves the messages with its starter's rights; listing and cancelling never
 *   read or write a message, so they get no key.
 */
export function queueAccessStatements(config: ControllerConfig, actions: readonly MoveTaskAction[]): iam.PolicyStatement[] {
  // a function that runs no move-task action touches no message (the inventory job)
  if (actions.length === 0) return [];
  const statements = [
    new iam.PolicyStatement({
      sid: 'MoveTasksOnManagedQueues',
      actions: [...actions.map((action) => MOVE_TASK_ACTIONS[action]), 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources: [...config.managedQueues],
    }),
  ];
  const destinations = redriveDestinations(config);
  if (actions.includes('start') && destinations.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'SendToRedriveDestinations', actions: ['sqs:SendMessage'], resources: destinations }));
  }
  if (actions.includes('start') && config.queueKmsKeyArns.length > 0) statements.push(queueKeysStatement(config));
  return statements;
}

/** The configured queue keys, usable only through SQS (a function that moves messages of encrypted queues). */
export function queueKeysStatement(config: ControllerConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'QueueKeysThroughSqs',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [...config.queueKmsKeyArns],
    conditions: { StringEquals: { 'kms:ViaService': `sqs.${config.region}.amazonaws.com` } },
  });
}

/** Where a redrive may send: the allowed destinations and, for "back to source", the source queues. */
export function redriveDestinations(config: ControllerConfig): string[] {
  return [...new Set([...config.sourceQueues, ...config.allowedDestinations])];
}

/**
 * Peek (POST /dlqs/{queueName}/peek) and dry runs on managed queues: find the queue, check it is a
 * DLQ and not a chained one (its own RedrivePolicy, GetQueueAttributes), and hand received messages
 * back (ChangeMessageVisibility). Nothing here deletes or sends.
 */
export function peekStatement(config: ControllerConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'PeekManagedDlqs',
    actions: ['sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility'],
    resources: [...config.managedQueues],
  });
}

/**
 * The inventory job reads every queue's attributes (redrive policies live on source queues, which
 * can be any queue of the account): attributes only, never a message.
 */
export function queueAttributesStatement(config: ControllerConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadQueueAttributes',
    actions: ['sqs:GetQueueAttributes'],
    resources: [`arn:${config.partition}:sqs:${config.region}:${config.account}:*`],
  });
}

/**
 * The inventory dates each DLQ's oldest message (OldestMessageExpiresAt, docs/decisions.md): one
 * ReceiveMessage with visibility 0 on a managed DLQ, so it hides, deletes and sends nothing.
 */
export function sentTimestampSampleStatement(config: ControllerConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'SampleSentTimestamps', actions: ['sqs:ReceiveMessage'], resources: [...config.managedQueues] });
}

/**
 * Recovery's starts, in the reconciler only (its tick starts and ramps): StartMessageMoveTask on the
 * policies' DLQs alone, GetQueueUrl to read their depth (GetQueueAttributes comes with the move-task
 * statement), and SendMessage to the source queues a native task without DestinationArn sends back
 * to (a move task runs with its starter's rights); the queue keys when any are configured.
 */
export function recoveryStatements(config: ControllerConfig): iam.PolicyStatement[] {
  const dlqs = config.recoveryPolicies.map((policy) => policy.dlq);
  if (dlqs.length === 0) return [];
  const statements = [new iam.PolicyStatement({ sid: 'RecoveryStartsOnPolicyDlqs', actions: ['sqs:StartMessageMoveTask', 'sqs:GetQueueUrl'], resources: dlqs })];
  if (config.sourceQueues.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'RecoverySendsBackToSources', actions: ['sqs:SendMessage'], resources: [...config.sourceQueues] }));
  }
  if (config.queueKmsKeyArns.length > 0) statements.push(queueKeysStatement(config));
  return statements;
}
