import fc from 'fast-check';

import { decideRecovery, type RecoveryInput, type RecoveryObservation } from '../../../../lambda/domain/recovery/recovery-machine';
import { parseRecoveryPolicies } from '../../../../lambda/domain/recovery/recovery-policy';
import { initialRecoveryRecord, type RecoveryRecord } from '../../../../lambda/domain/recovery/recovery-state';

const DLQ = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const [policy] = parseRecoveryPolicies([{ dlq: DLQ, alarms: ['errors', 'latency'], resumeAfterOkSeconds: 60, startRate: 10, maxRate: 40, rampEverySeconds: 30, maxResumesPerHour: 2 }], 'test');
const T0 = Date.parse('2026-01-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString();

/** decideRecovery, with the version bump a successful write makes */
function apply(record: RecoveryRecord, input: RecoveryInput, seconds: number): RecoveryRecord {
  const next = decideRecovery(record, input, at(seconds), policy!);
  if ('refused' in next) throw new Error(next.refused);
  return next === record ? record : { ...next, version: record.version + 1 };
}
const alarm = (alarmName: string, value: 'ALARM' | 'OK', seconds: number, previous?: { value: 'ALARM' | 'OK'; seconds: number }): RecoveryInput => ({
  kind: 'alarm', alarmName, value, at: iso(seconds), ...(previous ? { previous: { value: previous.value, at: iso(previous.seconds) } } : {}),
});
const tick = (observed: RecoveryObservation = {}): RecoveryInput => ({ kind: 'tick', runId: 'run-1', observed });
const idle = initialRecoveryRecord(DLQ, iso(0));

describe('decideRecovery', () => {
  it('pauses on ALARM and promises a cancel of the active task, with its event', () => {
    // Act
    const paused = apply(idle, alarm('errors', 'ALARM', 10), 11);

    // Assess
    expect(paused).toMatchObject({ state: 'PAUSED', since: iso(11), step: { kind: 'cancel' } });
    expect(paused.reason).toMatch(/alarm errors went to ALARM/);
    expect(paused.outbox).toEqual([expect.objectContaining({ from: 'IDLE', to: 'PAUSED', id: `${DLQ}:recovery:1` })]);
  });

  it('resumes resumeAfterOkSeconds after the last alarm went OK, at startRate, with a new run', () => {
    // Prepare
    let record = apply(idle, alarm('errors', 'ALARM', 10), 11);
    record = apply(record, { kind: 'cancel-done' }, 11);

    // Act
    record = apply(record, alarm('errors', 'OK', 20), 21);
    const early = apply(record, tick({ dlqMessages: 5 }), 79);
    const due = apply(record, tick({ dlqMessages: 5 }), 80);

    // Assess
    expect(record.nextActionAt).toBe(iso(80));
    expect(early.state).toBe('PAUSED');
    expect(due).toMatchObject({ state: 'RECOVERING', runId: 'run-1', step: { kind: 'start', rate: 10 }, resumes: [iso(80)] });
  });

  it('waits for every alarm of the policy, not only the one that fired', () => {
    // Prepare
    let record = apply(idle, alarm('errors', 'ALARM', 10), 10);
    record = apply(record, alarm('latency', 'ALARM', 15), 15);

    // Act
    record = apply(record, alarm('errors', 'OK', 20), 20);
    const stillFiring = apply(record, tick({ dlqMessages: 5 }), 500);

    // Assess
    expect(record.nextActionAt).toBeUndefined();
    expect(stillFiring.state).toBe('PAUSED');
  });

  it('ramps by rampFactor every rampEverySeconds up to maxRate, replacing the task, and ends IDLE on COMPLETED', () => {
    // Prepare
    let record = apply(apply(idle, alarm('errors', 'ALARM', 0), 0), { kind: 'cancel-done' }, 0);
    record = apply(record, alarm('errors', 'OK', 1), 1);
    record = apply(record, tick({ dlqMessages: 100 }), 61);
    record = apply(record, { kind: 'started', taskId: 'task-1', rate: 10 }, 62);
    expect(record).toMatchObject({ taskId: 'task-1', currentRate: 10, nextActionAt: iso(92) });

    // Act: the ramp step replaces task-1 by one at 20/s, once SQS says CANCELLED
    record = apply(record, tick({ taskStatus: 'RUNNING' }), 92);
    expect(record.step).toMatchObject({ kind: 'replace', taskId: 'task-1', rate: 20 });
    record = apply(record, { kind: 'replace-cancel-sent' }, 92);
    const waiting = apply(record, tick({ taskStatus: 'CANCELLING' }), 93);
    record = apply(waiting, tick({ taskStatus: 'CANCELLED' }), 94);
    expect(record.step).toMatchObject({ kind: 'start', rate: 20 });
    record = apply(record, { kind: 'started', taskId: 'task-2', rate: 20 }, 95);
    record = apply(record, tick({ taskStatus: 'RUNNING' }), 125);
    record = apply(record, { kind: 'replace-cancel-sent' }, 125);
    record = apply(record, tick({ taskStatus: 'CANCELLED' }), 126);
    record = apply(record, { kind: 'started', taskId: 'task-3', rate: 40 }, 126);
    const atMax = apply(record, tick({ taskStatus: 'RUNNING' }), 1000);
    const done = apply(record, tick({ taskStatus: 'COMPLETED' }), 1001);

    // Assess
    expect(waiting.step?.kind).toBe('replace');
    expect(atMax).toMatchObject({ state: 'RECOVERING', currentRate: 40, step: undefined });
    expect(done).toMatchObject({ state: 'IDLE', runId: undefined, currentRate: undefined });
    expect(done.outbox.at(-1)).toMatchObject({ from: 'RECOVERING', to: 'IDLE', runId: 'run-1' });
  });

  it('holds after maxResumesPerHour resumes within an hour (a flapping alarm)', () => {
    // Prepare
    let record = idle;
    let seconds = 0;
    const flap = () => {
      record = apply(record, alarm('errors', 'ALARM', (seconds += 1)), seconds);
      record = apply(record, { kind: 'cancel-done' }, seconds);
      record = apply(record, alarm('errors', 'OK', (seconds += 1)), seconds);
      record = apply(record, tick({ dlqMessages: 50 }), (seconds += 60));
    };

    // Act
    flap();
    flap();
    expect(record.state).toBe('RECOVERING');
    flap();

    // Assess
    expect(record.state).toBe('HELD');
    expect(record.reason).toMatch(/2 resumes within an hour \(maxResumesPerHour 2\)/);
    expect(record.outbox.at(-1)).toMatchObject({ from: 'PAUSED', to: 'HELD' });
  });

  it('holds on a person\'s cancel, stays held on OK, and a release makes it PAUSED and resumable', () => {
    // Prepare
    let record = apply(apply(idle, alarm('errors', 'ALARM', 0), 0), { kind: 'cancel-done' }, 0);
    record = apply(record, alarm('errors', 'OK', 1), 1);
    record = apply(record, tick({ dlqMessages: 9 }), 61);

    // Act
    record = apply(record, { kind: 'person-cancel', by: 'alice', reason: 'looks wrong' }, 62);
    const held = apply(record, tick({ dlqMessages: 9 }), 500);
    const released = apply(held, { kind: 'release', by: 'alice', reason: 'fixed' }, 501);
    const resumed = apply(released, tick({ dlqMessages: 9 }), 502);

    // Assess
    expect(held).toMatchObject({ state: 'HELD', step: undefined });
    expect(held.reason).toMatch(/cancelled by alice: looks wrong/);
    expect(released).toMatchObject({ state: 'PAUSED', resumes: [] });
    expect(resumed.state).toBe('RECOVERING');
    expect(decideRecovery(resumed, { kind: 'release', by: 'bob', reason: 'x' }, at(503), policy!)).toEqual({ refused: expect.stringMatching(/not HELD/) });
  });

  it('never autoStarts an empty DLQ, a busy one, or with an alarm firing; starts a non-empty healthy one', () => {
    // Prepare
    const [auto] = parseRecoveryPolicies([{ dlq: DLQ, alarms: ['errors'], autoStart: true }], 'test');
    const decide = (record: RecoveryRecord, observed: RecoveryObservation) => decideRecovery(record, tick(observed), at(10), auto!) as RecoveryRecord;

    // Act / Assess
    expect(decide(idle, { dlqMessages: 0, dlqBusy: false }).state).toBe('IDLE');
    expect(decide(idle, { dlqMessages: 8, dlqBusy: true }).state).toBe('IDLE');
    expect(decide({ ...idle, alarms: { errors: { value: 'ALARM', at: iso(1) } } }, { dlqMessages: 8, dlqBusy: false }).state).toBe('IDLE');
    expect(decide(idle, { dlqMessages: 8, dlqBusy: false })).toMatchObject({ state: 'RECOVERING', step: { kind: 'start', rate: 10 } });
  });

  it('changes nothing for a repeated or an older alarm state', () => {
    // Prepare
    const paused = apply(apply(idle, alarm('errors', 'ALARM', 10), 10), { kind: 'cancel-done' }, 10);
    const ok = apply(paused, alarm('errors', 'OK', 20), 20);

    // Act / Assess
    expect(decideRecovery(ok, alarm('errors', 'OK', 20), at(30), policy!)).toBe(ok);
    expect(decideRecovery(ok, alarm('errors', 'ALARM', 10), at(30), policy!)).toBe(ok);
  });

  it('ends in the same state for any order of the same alarm events (property)', () => {
    // Prepare: each alarm's history, each event naming the state it left, as CloudWatch's do
    const history = fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }).map((flips) => {
      let value: 'ALARM' | 'OK' = 'OK';
      return flips.map((_, index) => {
        const previous = { value, seconds: index * 10 };
        value = value === 'OK' ? 'ALARM' : 'OK';
        return { value, seconds: index * 10 + 10, previous };
      });
    });
    const events = fc.tuple(history, history).map(([errors, latency]) => [
      ...errors.map((event) => alarm('errors', event.value, event.seconds, event.previous)),
      ...latency.map((event) => alarm('latency', event.value, event.seconds + 3, { value: event.previous.value, seconds: event.previous.seconds + 3 })),
    ]);

    fc.assert(
      fc.property(events.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), fc.array(fc.nat(list.length - 1)))), ([inOrder, shuffled, repeats]) => {
        // Act: in order; shuffled, with some events delivered twice
        const final = (list: readonly RecoveryInput[]) => {
          const record = list.reduce((current, input) => apply(current, input, 100), idle);
          return { state: record.state, alarms: record.alarms, nextActionAt: record.nextActionAt };
        };
        const delivered = [...shuffled, ...repeats.map((index) => shuffled[index]!)];

        // Assess
        expect(final(delivered)).toEqual(final(inOrder));
      }),
    );
  });
});
