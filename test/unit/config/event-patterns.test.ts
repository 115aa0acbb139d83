import { alarmEventPattern, cancelEventPattern } from '../../../lambda/config/event-patterns';
import { matchesEventPattern, parseEventPattern } from '../../../lambda/domain/content-filter/event-pattern';
import cancelEvent from '../../fixtures/events/cancel-message-move-task.json';
import alarmEvent from '../../fixtures/events/cloudwatch-alarm-state-change.json';

// the matcher the local event bus runs; parsing also proves EventBridge would accept the pattern
const matchesPattern = (event: unknown, pattern: object) => matchesEventPattern(parseEventPattern(pattern), event);

const HOME = { account: '123456789012', region: 'us-east-1' };
const alarmArnOf = (name: string, account = HOME.account, region = HOME.region) => `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
const withAlarm = (alarmName: string, value: string) => ({
  ...alarmEvent,
  resources: [alarmArnOf(alarmName)],
  detail: { ...alarmEvent.detail, alarmName, state: { ...alarmEvent.detail.state, value } },
});

describe('cancelEventPattern', () => {
  const pattern = cancelEventPattern({ accounts: [HOME.account, '210987654321'], region: HOME.region });

  it('matches a cancel event from an allowed account in this region, from any source, whatever its detail', () => {
    // Act / Assess
    expect(matchesPattern(cancelEvent, pattern)).toBe(true);
    expect(matchesPattern({ ...cancelEvent, account: '210987654321' }, pattern)).toBe(true);
    expect(matchesPattern({ ...cancelEvent, source: 'com.example.runbook', detail: { nonsense: true } }, pattern)).toBe(true);
  });

  it.each([
    ['another detail-type', { ...cancelEvent, 'detail-type': 'Start Message Move Task' }],
    ['an account not listed', { ...cancelEvent, account: '999999999999' }],
    ['another region', { ...cancelEvent, region: 'eu-west-1' }],
    ['no account at all', { ...cancelEvent, account: undefined }],
    ['an alarm event', alarmEvent],
  ])('does not match %s', (_, event) => {
    expect(matchesPattern(event, pattern)).toBe(false);
  });

  it('routes only the listed sources when given some, still matching the account', () => {
    // Prepare
    const routed = cancelEventPattern({ ...HOME, accounts: [HOME.account], sources: ['com.example.deploy-pipeline', 'com.example.runbook'] });

    // Act / Assess
    expect(routed).toEqual({ account: [HOME.account], region: [HOME.region], source: ['com.example.deploy-pipeline', 'com.example.runbook'], 'detail-type': ['Cancel Message Move Task'] });
    expect(matchesPattern(cancelEvent, routed)).toBe(true);
    expect(matchesPattern({ ...cancelEvent, source: 'com.example.someone-else' }, routed)).toBe(false);
  });

  it('fails for an empty allow-list of sources, which EventBridge refuses', () => {
    expect(() => cancelEventPattern({ ...HOME, accounts: [HOME.account], sources: [] })).toThrow(/sources must list at least one event source/);
  });

  it('fails for no accounts', () => {
    expect(() => cancelEventPattern({ accounts: [], region: HOME.region })).toThrow(/accounts must list at least/);
  });
});

describe('alarmEventPattern', () => {
  const pattern = alarmEventPattern({ alarmNames: ['orders-consumer-errors', 'payments-consumer-errors'], partition: 'aws', ...HOME });

  it('matches a configured alarm of this account and region going to ALARM, by its ARN', () => {
    expect(pattern.resources).toEqual([alarmArnOf('orders-consumer-errors'), alarmArnOf('payments-consumer-errors')]);
    expect(matchesPattern(alarmEvent, pattern)).toBe(true);
    expect(matchesPattern(withAlarm('payments-consumer-errors', 'ALARM'), pattern)).toBe(true);
  });

  it.each([
    ['an unmapped alarm', withAlarm('some-other-alarm', 'ALARM')],
    ['a configured alarm going to OK', withAlarm('orders-consumer-errors', 'OK')],
    ['a configured alarm going to INSUFFICIENT_DATA', withAlarm('orders-consumer-errors', 'INSUFFICIENT_DATA')],
    ['the same detail from another source', { ...alarmEvent, source: 'com.example.fake-cloudwatch' }],
    ['an alarm of the same name in another account', { ...alarmEvent, account: '999999999999', resources: [alarmArnOf('orders-consumer-errors', '999999999999')] }],
    ['an alarm of the same name in another region', { ...alarmEvent, region: 'eu-west-1', resources: [alarmArnOf('orders-consumer-errors', HOME.account, 'eu-west-1')] }],
    ['a cancel event', cancelEvent],
  ])('does not match %s', (_, event) => {
    expect(matchesPattern(event, pattern)).toBe(false);
  });

  it('fails for no alarms: the stack creates no alarm rule then', () => {
    expect(() => alarmEventPattern({ alarmNames: [], partition: 'aws', ...HOME })).toThrow(/alarmNames must list at least one alarm/);
  });
});
