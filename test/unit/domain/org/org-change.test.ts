import { parseOrgEvent } from '../../../../lambda/domain/org/org-change';
import { inventoryEvent, recoveryEvent, taskEvent } from '../../../support/org-events';

const ACCOUNT_1 = '111111111111';
const ACCOUNT_2 = '222222222222';

describe('parseOrgEvent', () => {
  it('reads a task event: the sending account, the version from its eventId, the entry without eventId', () => {
    // Act
    const change = parseOrgEvent(taskEvent({ account: ACCOUNT_1, taskId: 't-1', version: 7, status: 'RUNNING' }));

    // Assess
    expect(change).toMatchObject({ kind: 'task', accountId: ACCOUNT_1, region: 'us-east-1', task: { taskId: 't-1', version: 7, status: 'RUNNING' } });
    expect(change.kind === 'task' && change.task.view).not.toHaveProperty('eventId');
  });

  it("ignores a task event whose queue is another account's: one account cannot write another's rows", () => {
    // Prepare
    const event = { ...taskEvent({ account: ACCOUNT_1, taskId: 't-1', version: 1, status: 'RUNNING' }), account: ACCOUNT_2 };

    // Act / Assess
    expect(parseOrgEvent(event)).toEqual({ kind: 'ignored', reason: expect.stringMatching(/not account 222222222222's/) });
  });

  it.each([
    ['another source', { source: 'someone-else' }],
    ['no account', { account: undefined }],
    ['a detail that is no object', { detail: 'text' }],
    ['a time that is no instant', { time: 'yesterday' }],
    ['a time of the right shape that is no instant (hour 25)', { time: '2026-12-02T25:00:00Z' }],
    ['a detail-type the org view does not read', { 'detail-type': 'Dead-Letter Messages Peeked' }],
  ])('ignores an event with %s', (_name, override) => {
    // Act
    const change = parseOrgEvent({ ...taskEvent({ account: ACCOUNT_1, taskId: 't-1', version: 1, status: 'RUNNING' }), ...override });

    // Assess
    expect(change.kind).toBe('ignored');
  });

  it('ignores a task event whose eventId carries no version', () => {
    // Prepare
    const event = taskEvent({ account: ACCOUNT_1, taskId: 't-1', version: 1, status: 'RUNNING' });
    const detail = { ...(event.detail as object), eventId: 't-1:started:x' };

    // Act / Assess
    expect(parseOrgEvent({ ...event, detail }).kind).toBe('ignored');
  });

  it('reads an inventory event: its DLQs as of its run, its removed queues, only of the sending account', () => {
    // Prepare
    const event = inventoryEvent({ account: ACCOUNT_2, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': 4 }, removed: ['gone-dlq'] });

    // Act
    const change = parseOrgEvent(event);

    // Assess
    expect(change).toMatchObject({
      kind: 'inventory',
      accountId: ACCOUNT_2,
      asOf: '2026-12-01T10:00:00.000Z',
      dlqs: [{ queueName: 'a-dlq', approximateNumberOfMessages: 4, removed: false }],
      removedQueueArns: [`arn:aws:sqs:us-east-1:${ACCOUNT_2}:gone-dlq`],
    });
  });

  it("reads an inventory event's totals, and ignores an event whose totals are no counts", () => {
    // Prepare
    const totals = { DeadLetterQueues: 3, ApproximateNumberOfMessages: 12, ApproximateNumberOfMessagesNotVisible: 2 };
    const asOf = '2026-12-01T10:00:00.000Z';

    // Act
    const read = parseOrgEvent(inventoryEvent({ account: ACCOUNT_2, asOf, dlqs: {}, totals }));
    const older = parseOrgEvent(inventoryEvent({ account: ACCOUNT_2, asOf, dlqs: {} }));
    const bad = parseOrgEvent(inventoryEvent({ account: ACCOUNT_2, asOf, dlqs: {}, totals: { ...totals, ApproximateNumberOfMessages: -1 } }));

    // Assess
    expect(read).toMatchObject({ kind: 'inventory', totals: { deadLetterQueues: 3, approximateNumberOfMessages: 12, approximateNumberOfMessagesNotVisible: 2 } });
    expect(older).not.toHaveProperty('totals');
    expect(bad).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/totals/) });
  });

  it('reads a recovery event: its version from the eventId, its state since At, RunId only while RECOVERING', () => {
    // Act
    const recovering = parseOrgEvent(recoveryEvent({ account: ACCOUNT_2, queue: 'a-dlq', version: 4, to: 'RECOVERING', from: 'PAUSED', runId: 'run-1', at: '2026-12-01T10:04:00.000Z' }));
    const ended = parseOrgEvent(recoveryEvent({ account: ACCOUNT_2, queue: 'a-dlq', version: 5, to: 'IDLE', from: 'RECOVERING', runId: 'run-1' }));

    // Assess
    expect(recovering).toEqual({
      kind: 'recovery',
      accountId: ACCOUNT_2,
      region: 'us-east-1',
      time: '2026-12-01T10:04:00.000Z',
      recovery: { accountId: ACCOUNT_2, region: 'us-east-1', queueArn: `arn:aws:sqs:us-east-1:${ACCOUNT_2}:a-dlq`, version: 4, state: 'RECOVERING', since: '2026-12-01T10:04:00.000Z', reason: 'to RECOVERING at 4', runId: 'run-1' },
    });
    expect(ended).toMatchObject({ kind: 'recovery', recovery: { state: 'IDLE', version: 5 } });
    expect(ended).not.toHaveProperty('recovery.runId');
  });

  it("ignores a recovery event for another account's DLQ, or without a version or a known state", () => {
    // Prepare
    const valid = recoveryEvent({ account: ACCOUNT_2, queue: 'a-dlq', version: 2, to: 'PAUSED' });
    const detail = valid.detail as Record<string, unknown>;

    // Act
    const foreign = parseOrgEvent(recoveryEvent({ account: ACCOUNT_2, queue: 'a-dlq', version: 2, to: 'PAUSED', queueAccount: '111111111111' }));
    const noVersion = parseOrgEvent({ ...valid, detail: { ...detail, eventId: `${String(detail.QueueArn)}:recovery:x` } });
    const badState = parseOrgEvent({ ...valid, detail: { ...detail, To: 'SLEEPING' } });

    // Assess
    expect(foreign).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/not account 222222222222's/) });
    expect(noVersion).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/no version/) });
    expect(badState).toMatchObject({ kind: 'ignored' });
  });

  it.each([
    ['a task with an unknown Status', () => withDetail(taskEvent({ account: ACCOUNT_1, taskId: 't-1', version: 1, status: 'RUNNING' }), { Status: '' })],
    ['a task whose createdAt is no instant', () => withDetail(taskEvent({ account: ACCOUNT_1, taskId: 't-1', version: 1, status: 'RUNNING' }), { createdAt: '' })],
    ['an inventory run whose asOf is no instant', () => inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T25:00:00.000Z', dlqs: { 'a-dlq': 1 } })],
    ['a DLQ with a negative count', () => inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': -1 } })],
    ['a DLQ with a fractional count', () => inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': 1.5 } })],
    ['a DLQ with a negative age', () => inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': 1 }, ages: { 'a-dlq': -5 } })],
    ['a DLQ without SourceQueueArns', () => withoutSources(inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': 1 } }))],
    ['a DLQ with an unknown Origin', () => withDlqFields(inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': 1 } }), { Origin: 'sns' })],
    ['a DLQ whose Targets are no {Arn, Kind}', () => withDlqFields(inventoryEvent({ account: ACCOUNT_1, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'a-dlq': 1 } }), { Targets: [{ Arn: 'x', Kind: 'queue' }] })],
  ])('ignores, rather than stores or throws on, %s: the indexes and paging tokens need real keys', (_name, event) => {
    // Act / Assess
    expect(parseOrgEvent(event())).toEqual({ kind: 'ignored', reason: expect.any(String) });
  });
});

function withDetail(event: ReturnType<typeof taskEvent>, fields: Record<string, unknown>): ReturnType<typeof taskEvent> {
  return { ...event, detail: { ...(event.detail as object), ...fields } };
}

function withDlqFields(event: ReturnType<typeof inventoryEvent>, fields: Record<string, unknown>): ReturnType<typeof inventoryEvent> {
  const detail = event.detail as { dlqs: Array<Record<string, unknown>> };
  return { ...event, detail: { ...detail, dlqs: detail.dlqs.map((dlq) => ({ ...dlq, ...fields })) } };
}

function withoutSources(event: ReturnType<typeof inventoryEvent>): ReturnType<typeof inventoryEvent> {
  const detail = event.detail as { dlqs: Array<Record<string, unknown>> };
  return { ...event, detail: { ...detail, dlqs: detail.dlqs.map(({ SourceQueueArns: _sources, ...dlq }) => dlq) } };
}
