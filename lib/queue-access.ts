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
  if (actions.includes('start') && config.queueKmsKeyArns.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'QueueKeysThroughSqs',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [...config.queueKmsKeyArns],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${config.region}.amazonaws.com` } },
      }),
    );
  }
  return statements;
}

/** Where a redrive may send: the allowed destinations and, for "back to source", the source queues. */
export function redriveDestinations(config: ControllerConfig): string[] {
  return [...new Set([...config.sourceQueues, ...config.allowedDestinations])];
}
