import * as iam from 'aws-cdk-lib/aws-iam';

import type { ControllerConfig } from './config/controller-config';
import { queueKeysStatement, redriveDestinations } from './queue-access';

/**
 * What the selective mover needs, on the configured queues only: on managed DLQs it receives,
 * deletes and changes visibility (holding skipped messages, releasing them), and looks up their
 * URLs; it sends to the source queues and the allowed destinations; with SSE-KMS queues, the keys
 * the configuration names, through SQS in this region. It never starts, lists or cancels SQS's tasks.
 */
export function moverAccessStatements(config: ControllerConfig): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({
      sid: 'MoveMessagesOutOfManagedQueues',
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl'],
      resources: [...config.managedQueues],
    }),
  ];
  const destinations = redriveDestinations(config);
  if (destinations.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'SendToRedriveDestinations', actions: ['sqs:SendMessage', 'sqs:GetQueueUrl'], resources: destinations }));
  }
  if (config.queueKmsKeyArns.length > 0) statements.push(queueKeysStatement(config));
  statements.push(...replayAccessStatements(config));
  return statements;
}

/**
 * Replays (API.md section 11) deliver only to the configured replayTargets, by kind: invoke the
 * functions (with their versions and aliases: `<arn>:*`), send to the queues, publish to the topics,
 * put events on the buses. None without replayTargets.
 */
export function replayAccessStatements(config: ControllerConfig): iam.PolicyStatement[] {
  const of = (service: string) => config.replayTargets.filter((arn) => arn.split(':')[2] === service);
  const functions = of('lambda').flatMap((arn) => (arn.endsWith('*') ? [arn] : [arn, `${arn}:*`]));
  const kinds = [
    { sid: 'ReplayInvokeFunctions', actions: ['lambda:InvokeFunction'], resources: functions },
    { sid: 'ReplaySendToQueues', actions: ['sqs:SendMessage', 'sqs:GetQueueUrl'], resources: of('sqs') },
    { sid: 'ReplayPublishToTopics', actions: ['sns:Publish'], resources: of('sns') },
    { sid: 'ReplayPutEventsOnBuses', actions: ['events:PutEvents'], resources: of('events') },
  ];
  return kinds.filter((kind) => kind.resources.length > 0).map((kind) => new iam.PolicyStatement(kind));
}

/**
 * A dry run samples a DLQ from the API, by peek's rules: receive with a covering visibility, then
 * change it back to 0. (Receive is already the API's for SQS's own move tasks.)
 */
export function dryRunAccessStatement(config: ControllerConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'SampleManagedQueues', actions: ['sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl'], resources: [...config.managedQueues] });
}

/**
 * A selective start checks, as SQS checks its own, that its DestinationArn exists (GetQueueUrl on the
 * allowed destinations); none when no destination is allowed.
 */
export function destinationLookupStatements(config: ControllerConfig): iam.PolicyStatement[] {
  const destinations = redriveDestinations(config);
  return destinations.length > 0 ? [new iam.PolicyStatement({ sid: 'FindRedriveDestinations', actions: ['sqs:GetQueueUrl'], resources: destinations })] : [];
}
