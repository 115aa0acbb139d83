import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { dryRunSelection } from '../../../../lambda/domain/operations/dry-run-selection';
import { startOrReplay } from '../../../../lambda/domain/operations/replay-source';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { ACCOUNT, emptyQueuesSampler, fakeDependencies, queueArn, REGION } from '../../../support/fake-dependencies';
import { FakeDlq, FakeHolds } from '../../../support/fake-dlq';

const DLQ = queueArn('managed-events-dlq');
const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/placed`;
const TRANSFORMED = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:ship`;
const FIFO = queueArn('managed-audit.fifo');

/** An EventBridge dead letter of the rule's target `targetArn` (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html). */
const deadLetterOf = (targetArn: string) => ({
  body: '{"detail-type":"Order Placed","detail":{}}',
  messageAttributes: { RULE_ARN: { DataType: 'String', StringValue: RULE }, TARGET_ARN: { DataType: 'String', StringValue: targetArn }, ERROR_CODE: { DataType: 'String', StringValue: 'NO_RESOURCE' } },
});

describe('dryRunSelection of a replay, with the rule targets discovery stored', () => {
  it('routes as the mover does: a target with an InputTransformer is unroutable, a FIFO queue target with SqsParameters.MessageGroupId is routed with that group', async () => {
    // Prepare: the inventory knows the DLQ as an EventBridge DLQ whose rule has those two targets
    const dlq: DeadLetterQueue = {
      queueArn: DLQ, queueName: 'managed-events-dlq', approximateNumberOfMessages: 2, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'eventbridge',
      targets: [
        { arn: TRANSFORMED, kind: 'rule-target', ruleArn: RULE, inputTransformation: 'InputTransformer' },
        { arn: FIFO, kind: 'rule-target', ruleArn: RULE, messageGroupId: 'audit' },
      ],
    };
    const queue = new FakeDlq(DLQ);
    const transformed = queue.add('x', deadLetterOf(TRANSFORMED));
    const grouped = queue.add('x', deadLetterOf(FIFO));
    const sampler = emptyQueuesSampler(false);
    const deps = {
      ...fakeDependencies(),
      dlqs: async () => ({ sampler, inventory: { save: async () => true, load: async () => ({ asOf: '2026-12-07T12:00:00.000Z', dlqs: [dlq] }) }, activity: { publishActivity: async () => {} } }),
      scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')], allowedDestinations: [queueArn('managed-*')] }),
      messages: queue,
      holds: new FakeHolds(),
      replayScope: { allows: () => true, check: () => {} },
    } as unknown as Parameters<typeof dryRunSelection>[0];
    const request = { source: parseQueueArn(DLQ, 'SourceArn'), selection: {}, dryRun: true as const };

    // Act: as the start route does (the SQS checks refuse a DLQ nobody's redrive policy names, then the inventory's word)
    const result = await startOrReplay(deps, request, (replay) => dryRunSelection(deps, request, 'arn:aws:iam::123456789012:role/reader', replay));

    // Assess
    expect({ matched: result.matched, unroutable: result.unroutable }).toEqual({ matched: 2, unroutable: 1 });
    const outcomeOf = (id: string) => result.routes?.find((route) => route.messageId === id)?.outcome;
    expect(outcomeOf(transformed.messageId)).toMatchObject({ kind: 'unroutable', reason: expect.stringContaining('InputTransformer') });
    expect(outcomeOf(grouped.messageId)).toMatchObject({ kind: 'queue', targetArn: FIFO, messageGroupId: 'audit' });
  });
});
