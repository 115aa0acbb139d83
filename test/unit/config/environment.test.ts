import { ENV, formatCircuitBreakerAlarms, readCircuitBreakerAlarms, readSettings } from '../../../lambda/config/environment';

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
