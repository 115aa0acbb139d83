import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { replaySourceOf } from '../../../../lambda/domain/operations/replay-source';
import type { ControllerDependencies } from '../../../../lambda/domain/ports';

const DLQ = 'arn:aws:sqs:us-east-1:111122223333:orders-dlq';
const RULE = 'arn:aws:events:us-east-1:111122223333:rule/placed';

/** dependencies whose inventory holds `dlq` alone */
const withInventory = (dlq: DeadLetterQueue) =>
  ({ dlqs: async () => ({ inventory: { load: async () => ({ asOf: '2026-12-07T12:00:00.000Z', dlqs: [dlq] }) } }) }) as unknown as ControllerDependencies;

describe('replaySourceOf', () => {
  it('answers the functions and the rule targets whose transformation or FIFO group a replay must know, not the plain ones', async () => {
    // Prepare
    const deps = withInventory({
      queueArn: DLQ, queueName: 'orders-dlq', approximateNumberOfMessages: 3, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'lambda',
      targets: [
        { arn: 'arn:aws:lambda:us-east-1:111122223333:function:bill', kind: 'function' },
        { arn: 'arn:aws:lambda:us-east-1:111122223333:function:ship', kind: 'rule-target', ruleArn: RULE, inputTransformation: 'InputPath' },
        { arn: 'arn:aws:sqs:us-east-1:111122223333:audit.fifo', kind: 'rule-target', ruleArn: RULE, messageGroupId: 'audit' },
        { arn: 'arn:aws:sqs:us-east-1:111122223333:plain', kind: 'rule-target', ruleArn: RULE },
      ],
    });

    // Act
    const source = await replaySourceOf(deps, DLQ);

    // Assess
    expect(source).toEqual({
      origin: 'lambda',
      functions: ['arn:aws:lambda:us-east-1:111122223333:function:bill'],
      ruleTargets: [
        { ruleArn: RULE, targetArn: 'arn:aws:lambda:us-east-1:111122223333:function:ship', inputTransformation: 'InputPath' },
        { ruleArn: RULE, targetArn: 'arn:aws:sqs:us-east-1:111122223333:audit.fifo', messageGroupId: 'audit' },
      ],
    });
  });
});
