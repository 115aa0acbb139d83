import { advanceRecovery } from '../../../../lambda/domain/operations/advance-recovery';
import { recoverFromAlarm } from '../../../../lambda/domain/operations/recover-from-alarm';
import { ALREADY_RUNNING } from '../../../../lambda/domain/operations/start-selective-task';
import type { MessageMoveService } from '../../../../lambda/domain/ports';
import { parseRecoveryPolicies } from '../../../../lambda/domain/recovery/recovery-policy';
import type { RecoveryDependencies, RecoveryStore } from '../../../../lambda/domain/recovery/recovery-ports';
import type { RecoveryRecord } from '../../../../lambda/domain/recovery/recovery-state';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { ACCOUNT, type FakeDependencies, fakeDependencies, queueArn, REGION } from '../../../support/fake-dependencies';

const DLQ = queueArn('managed-orders-dlq');
const [policy] = parseRecoveryPolicies([{ dlq: DLQ, alarms: ['orders-errors'], resumeAfterOkSeconds: 0, startRate: 5 }], 'test');

/** The recovery item in memory, with the DynamoDB store's conditional semantics; every write yields first, so racing runs interleave. */
class InMemoryRecoveryStore implements RecoveryStore {
  readonly records = new Map<string, RecoveryRecord>();
  async get(dlqArn: string) {
    await Promise.resolve();
    return this.records.get(dlqArn);
  }
  async getMany(dlqArns: readonly string[]) {
    return dlqArns.flatMap((arn) => this.records.get(arn) ?? []);
  }
  async put(next: RecoveryRecord, expectedVersion: number) {
    await new Promise((resolve) => setImmediate(resolve));
    if ((this.records.get(next.dlqArn)?.version ?? 0) !== expectedVersion) return false;
    this.records.set(next.dlqArn, next);
    return true;
  }
}

function setUp(): { deps: FakeDependencies; recovery: RecoveryDependencies & { recoveries: InMemoryRecoveryStore }; starts: number[]; published: string[] } {
  const deps = fakeDependencies();
  const starts: number[] = [];
  let now = Date.parse('2024-05-01T12:00:00.000Z');
  const clock = { now: () => new Date((now += 1000)) };
  Object.assign(deps, { clock });
  // SQS's start: one active task per queue, as SQS refuses a second
  (deps.sqs as MessageMoveService).start = async (input: Parameters<MessageMoveService['start']>[0]) => {
    // every call SQS receives, refused or not
    starts.push(input.maxNumberOfMessagesPerSecond ?? 0);
    await new Promise((resolve) => setImmediate(resolve));
    if (deps.sqs.entries.some((entry) => entry.status === 'RUNNING')) {
      throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);
    }
    const taskHandle = encodeTaskHandle(`task-${starts.length}`, DLQ);
    deps.sqs.entries.unshift({ taskHandle, status: 'RUNNING', sourceArn: DLQ, approximateNumberOfMessagesMoved: 0, startedTimestamp: now, ...(input.maxNumberOfMessagesPerSecond ? { maxNumberOfMessagesPerSecond: input.maxNumberOfMessagesPerSecond } : {}) });
    return { taskHandle };
  };
  const published: string[] = [];
  const recovery = {
    policies: new Map([[DLQ, policy!]]),
    recoveries: new InMemoryRecoveryStore(),
    depth: { messages: async () => 25 },
    activity: { publishActivity: async (event: { detail: Record<string, unknown> }) => void published.push(`${String(event.detail.From)}→${String(event.detail.To)}`) },
    newRunId: (() => {
      let runs = 0;
      return () => `run-${(runs += 1)}`;
    })(),
    inFlightGraceSeconds: 120,
  };
  return { deps, recovery, starts, published };
}

const alarmEvent = (value: 'ALARM' | 'OK', timestamp: string) => ({
  source: 'aws.cloudwatch', account: ACCOUNT, region: REGION, detailType: 'CloudWatch Alarm State Change', ruleName: 'test-rule',
  detail: { alarmName: 'orders-errors', state: { value, timestamp, reason: 'test' } },
});
const senders = { homeAccount: ACCOUNT, homeRegion: REGION, senderAccounts: [ACCOUNT] };

describe('advanceRecovery', () => {
  it('lets one of two ticks at once start the resume: SQS sees one start', async () => {
    // Prepare: paused, then every alarm OK
    const { deps, recovery, starts } = setUp();
    await recoverFromAlarm(deps, recovery, alarmEvent('ALARM', '2024-05-01T11:00:00.000+0000'), senders);
    await recoverFromAlarm(deps, recovery, alarmEvent('OK', '2024-05-01T11:01:00.000+0000'), senders);

    // Act
    const [first, second] = await Promise.all([advanceRecovery(deps, recovery, policy!, 'tick'), advanceRecovery(deps, recovery, policy!, 'tick')]);

    // Assess
    expect(starts).toEqual([5]);
    const stored = recovery.recoveries.records.get(DLQ)!;
    expect(stored).toMatchObject({ state: 'RECOVERING', currentRate: 5, taskId: 'task-1', runId: 'run-1', step: undefined });
    expect([first, second].every((outcome) => 'record' in outcome)).toBe(true);
    expect(deps.store.records.get('task-1')).toMatchObject({ origin: 'recovery', runId: 'run-1', maxNumberOfMessagesPerSecond: 5 });
  });

  it('sends each state change once, in order, and empties the outbox', async () => {
    // Prepare
    const { deps, recovery, published } = setUp();

    // Act
    await recoverFromAlarm(deps, recovery, alarmEvent('ALARM', '2024-05-01T11:00:00.000+0000'), senders);
    await recoverFromAlarm(deps, recovery, alarmEvent('ALARM', '2024-05-01T11:00:00.000+0000'), senders);
    await recoverFromAlarm(deps, recovery, alarmEvent('OK', '2024-05-01T11:01:00.000+0000'), senders);
    await advanceRecovery(deps, recovery, policy!, 'tick');

    // Assess
    expect(published).toEqual(['IDLE→PAUSED', 'PAUSED→RECOVERING']);
    expect(recovery.recoveries.records.get(DLQ)!.outbox).toEqual([]);
  });

  it('ignores alarms of other accounts and INSUFFICIENT_DATA, changing nothing', async () => {
    // Prepare
    const { deps, recovery } = setUp();

    // Act
    const foreign = await recoverFromAlarm(deps, recovery, { ...alarmEvent('ALARM', '2024-05-01T11:00:00.000+0000'), account: '999999999999' }, senders);
    const insufficient = await recoverFromAlarm(deps, recovery, { ...alarmEvent('ALARM', '2024-05-01T11:00:00.000+0000'), detail: { alarmName: 'orders-errors', state: { value: 'INSUFFICIENT_DATA', timestamp: '2024-05-01T11:00:00.000+0000' } } }, senders);

    // Assess
    expect(foreign).toEqual([]);
    expect(insufficient).toEqual([{ dlqArn: DLQ, ignored: expect.stringContaining('INSUFFICIENT_DATA') }]);
    expect(recovery.recoveries.records.size).toBe(0);
  });
});
