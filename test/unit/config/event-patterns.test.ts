import { alarmEventPattern, cancelEventPattern } from '../../../lambda/config/event-patterns';
import { matchesEventPattern, parseEventPattern } from '../../../lambda/domain/content-filter/event-pattern';
import cancelEvent from '../../fixtures/events/cancel-message-move-task.json';
import alarmEvent from '../../fixtures/events/cloudwatch-alarm-state-change.json';

// the matcher the local event bus runs; parsing also proves EventBridge would accept the pattern
const matchesPattern = (event: unknown, pattern: object) => matchesEventPattern(parseEventPattern(pattern), event);

const withAlarm = (alarmName: string, value: string) => ({ ...alarmEvent, detail: { ...alarmEvent.detail, alarmName, state: { ...alarmEvent.detail.state, value } } });

describe('cancelEventPattern', () => {
  it('matches a cancel event from any source by default, whatever its detail', () => {
    // Prepare
    const pattern = cancelEventPattern();

    // Act / Assess
    expect(matchesPattern(cancelEvent, pattern)).toBe(true);
    expect(matchesPattern({ ...cancelEvent, source: 'com.example.runbook', detail: { nonsense: true } }, pattern)).toBe(true);
    expect(matchesPattern({ ...cancelEvent, 'detail-type': 'Start Message Move Task' }, pattern)).toBe(false);
    expect(matchesPattern(alarmEvent, pattern)).toBe(false);
  });

  it('matches only the allowed sources when given an allow-list', () => {
    // Prepare
    const pattern = cancelEventPattern({ sources: ['com.example.deploy-pipeline', 'com.example.runbook'] });

    // Act / Assess
    expect(pattern).toEqual({ source: ['com.example.deploy-pipeline', 'com.example.runbook'], 'detail-type': ['Cancel Message Move Task'] });
    expect(matchesPattern(cancelEvent, pattern)).toBe(true);
    expect(matchesPattern({ ...cancelEvent, source: 'com.example.someone-else' }, pattern)).toBe(false);
  });

  it('fails for an empty allow-list, which EventBridge refuses', () => {
    expect(() => cancelEventPattern({ sources: [] })).toThrow(/sources must list at least one event source/);
  });
});

describe('alarmEventPattern', () => {
  const pattern = alarmEventPattern({ alarmNames: ['orders-consumer-errors', 'payments-consumer-errors'] });

  it('matches a configured alarm going to ALARM', () => {
    expect(matchesPattern(alarmEvent, pattern)).toBe(true);
    expect(matchesPattern(withAlarm('payments-consumer-errors', 'ALARM'), pattern)).toBe(true);
  });

  it.each([
    ['an unmapped alarm', withAlarm('some-other-alarm', 'ALARM')],
    ['a configured alarm going to OK', withAlarm('orders-consumer-errors', 'OK')],
    ['a configured alarm going to INSUFFICIENT_DATA', withAlarm('orders-consumer-errors', 'INSUFFICIENT_DATA')],
    ['the same detail from another source', { ...alarmEvent, source: 'com.example.fake-cloudwatch' }],
    ['a cancel event', cancelEvent],
  ])('does not match %s', (_, event) => {
    expect(matchesPattern(event, pattern)).toBe(false);
  });

  it('fails for no alarms: the stack creates no alarm rule then', () => {
    expect(() => alarmEventPattern({ alarmNames: [] })).toThrow(/alarmNames must list at least one alarm/);
  });
});
