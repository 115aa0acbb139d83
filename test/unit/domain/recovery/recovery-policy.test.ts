import { nextRate, parseRecoveryPolicies, RecoveryPolicyError } from '../../../../lambda/domain/recovery/recovery-policy';

const DLQ = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';

describe('parseRecoveryPolicies', () => {
  it('fills in the contract\'s defaults', () => {
    // Act
    const [policy] = parseRecoveryPolicies([{ dlq: DLQ, alarms: ['orders-errors'] }], 'RECOVERY_POLICIES');

    // Assess
    expect(policy).toEqual({
      dlq: DLQ, alarms: ['orders-errors'], resumeAfterOkSeconds: 300, startRate: 10, maxRate: 500, rampFactor: 2, rampEverySeconds: 120, maxResumesPerHour: 3, autoStart: false,
    });
  });

  it.each([
    [[{ dlq: DLQ, alarms: ['a'], rampfactor: 2 }], /RECOVERY_POLICIES\[0\]\.rampfactor is not a known key; known keys: dlq, alarms, resumeAfterOkSeconds/],
    [[{ dlq: 'orders-dlq', alarms: ['a'] }], /RECOVERY_POLICIES\[0\]\.dlq must be the DLQ's SQS queue ARN.*got "orders-dlq"/],
    [[{ dlq: DLQ, alarms: [] }], /\.alarms must list at least one CloudWatch alarm name/],
    [[{ dlq: DLQ, alarms: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:a'] }], /\.alarms\[0\] must be the alarm's name, not its ARN/],
    [[{ dlq: DLQ, alarms: ['a'], startRate: 0 }], /\.startRate must be an integer from 1 to 500; got/],
    [[{ dlq: DLQ, alarms: ['a'], startRate: 50, maxRate: 20 }], /\.maxRate \(20\) must be at least startRate \(50\)/],
    [[{ dlq: DLQ, alarms: ['a'], rampFactor: 1 }], /\.rampFactor must be a number above 1 and at most 10/],
    [[{ dlq: DLQ, alarms: ['a'], autoStart: 'yes' }], /\.autoStart must be true or false; got "yes"/],
    [[{ dlq: DLQ, alarms: ['a'] }, { dlq: DLQ, alarms: ['b'] }], /RECOVERY_POLICIES\[1\]\.dlq names .* again: one recovery policy per DLQ/],
    [{ dlq: DLQ }, /RECOVERY_POLICIES must be a list of recovery policies/],
  ])('fails for %j, naming the key and what was expected', (raw, message) => {
    // Act / Assess
    expect(() => parseRecoveryPolicies(raw, 'RECOVERY_POLICIES')).toThrow(RecoveryPolicyError);
    expect(() => parseRecoveryPolicies(raw, 'RECOVERY_POLICIES')).toThrow(message);
  });
});

describe('nextRate', () => {
  it('multiplies by rampFactor, rises by at least one, and stops at maxRate', () => {
    // Prepare
    const [policy] = parseRecoveryPolicies([{ dlq: DLQ, alarms: ['a'], startRate: 1, maxRate: 30, rampFactor: 1.2 }], 'p');

    // Act / Assess
    expect(nextRate(policy!, 1)).toBe(2);
    expect(nextRate(policy!, 20)).toBe(24);
    expect(nextRate(policy!, 28)).toBe(30);
  });
});
