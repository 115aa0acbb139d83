import { failsFrom } from '../../../cli/dlq-commands';

describe('failsFrom', () => {
  it('names the source queues, the functions (with their qualifier) and each rule target as rule → target', () => {
    // Act
    const text = failsFrom({
      SourceQueueArns: ['arn:aws:sqs:us-east-1:123456789012:orders'],
      Targets: [
        { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:ship:live', Kind: 'function' },
        { Arn: 'arn:aws:sqs:us-east-1:123456789012:audit', Kind: 'rule-target', RuleArn: 'arn:aws:events:us-east-1:123456789012:rule/orders-bus/placed' },
      ],
    });

    // Assess
    expect(text).toBe('orders, ship:live, placed → audit');
  });

  it('reads an entry without Targets (an older account in the org view) as its sources alone', () => {
    // Assess
    expect(failsFrom({ SourceQueueArns: [] })).toBe('');
  });
});
