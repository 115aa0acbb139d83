import { ENV, formatCircuitBreakerAlarms, readCircuitBreakerAlarms, readRecoveryPolicies, readSettings, withRecoveryAlarms } from '../../../lambda/config/environment';

const ARN = 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq';

describe('readCircuitBreakerAlarms', () => {
  it('reads what formatCircuitBreakerAlarms wrote', () => {
    // Prepare
    const alarms = { 'orders-consumer-errors': [ARN, ARN.replace('orders', 'payments')] };

    // Act
    const read = readCircuitBreakerAlarms({ [ENV.circuitBreakerAlarms]: formatCircuitBreakerAlarms(alarms) });

    // Assess
    expect({ ...read }).toEqual(alarms);
  });

  it('reads one ARN written by hand as a list of one', () => {
    expect({ ...readCircuitBreakerAlarms({ [ENV.circuitBreakerAlarms]: JSON.stringify({ 'orders-consumer-errors': ARN }) }) }).toEqual({ 'orders-consumer-errors': [ARN] });
  });

  it('answers no alarms when the variable is unset or blank', () => {
    expect(readCircuitBreakerAlarms({})).toEqual({});
    expect(readCircuitBreakerAlarms({ [ENV.circuitBreakerAlarms]: ' ' })).toEqual({});
  });

  it.each([
    ['not JSON', '{orders', /it is not JSON/],
    ['a list', `["${ARN}"]`, /must be a JSON object of alarm name to SQS queue ARNs \(a list, or one ARN\)$/],
    ['a value that is no queue ARN', '{"orders":"orders-dlq"}', /alarm "orders" maps to "orders-dlq"/],
    ['an empty list', '{"orders":[]}', /alarm "orders" maps to \[\]/],
  ])('fails for a value that is %s', (_, value, message) => {
    expect(() => readCircuitBreakerAlarms({ [ENV.circuitBreakerAlarms]: value })).toThrow(message);
  });
});

describe('readSettings: REQUIRE_REASON', () => {
  const base = { [ENV.tableName]: 'tasks', [ENV.accountId]: '111122223333', [ENV.region]: 'eu-west-1' };

  it('is off unless set to true', () => {
    expect(readSettings(base).requireReason).toBe(false);
    expect(readSettings({ ...base, [ENV.requireReason]: 'true' }).requireReason).toBe(true);
  });

  it('fails the init on a value that is neither true nor false', () => {
    expect(() => readSettings({ ...base, [ENV.requireReason]: 'yes' })).toThrow('REQUIRE_REASON must be true or false, got yes');
  });
});

describe('readRecoveryPolicies and withRecoveryAlarms', () => {
  const DLQ = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';

  it('reads the policies by DLQ, and puts their alarms into the one alarm map beside the breakers\'', () => {
    // Act
    const policies = readRecoveryPolicies({ [ENV.recoveryPolicies]: JSON.stringify([{ dlq: DLQ, alarms: ['orders-errors', 'orders-latency'] }]) });
    const alarms = withRecoveryAlarms({ 'orders-errors': [DLQ], 'billing-errors': ['arn:aws:sqs:us-east-1:123456789012:billing-dlq'] }, [...policies.values()]);

    // Assess
    expect(policies.get(DLQ)).toMatchObject({ resumeAfterOkSeconds: 300, startRate: 10 });
    expect(alarms).toEqual({ 'orders-errors': [DLQ], 'billing-errors': ['arn:aws:sqs:us-east-1:123456789012:billing-dlq'], 'orders-latency': [DLQ] });
    expect(readRecoveryPolicies({}).size).toBe(0);
  });

  it.each([
    ['not JSON', '[{', /RECOVERY_POLICIES must be a JSON list of recovery policies; it is not JSON/],
    ['an unknown key', JSON.stringify([{ dlq: DLQ, alarms: ['a'], resumeAfterOk: 5 }]), /RECOVERY_POLICIES\[0\]\.resumeAfterOk is not a known key/],
    ['a DLQ name instead of its ARN', JSON.stringify([{ dlq: 'orders-dlq', alarms: ['a'] }]), /RECOVERY_POLICIES\[0\]\.dlq must be the DLQ's SQS queue ARN/],
  ])('fails the init for %s, naming the key', (_case, value, message) => {
    // Act / Assess
    expect(() => readRecoveryPolicies({ [ENV.recoveryPolicies]: value })).toThrow(message);
  });
});
