import type { DlqMessage } from '../../../../lambda/domain/dlq-message';
import { runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { queueArn } from '../../../support/fake-dependencies';
import { MOVER_BASE, MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

const THROTTLED = () => new SqsError('RequestThrottled', 'Rate exceeded', 400);

describe('runMoverSlice: once per message per task', () => {
  it('does not move again a message its consumer failed back into the DLQ while the task runs, nor count it', async () => {
    // Prepare: 3 matches, 1 skipped; the consumer fails each delivery at once: a new message (sent now) lands in the DLQ
    const { deps, queue, store, taskId } = selectiveTaskSetUp(['a', 'b', 'a', 'a'], { startedTimestamp: MOVER_BASE });
    const send = queue.send.bind(queue);
    queue.send = async (target, messages) => {
      const answer = await send(target, messages);
      for (const message of messages) queue.add('a', { body: `${message.body} again`, sentTimestamp: MOVER_BASE + 5 });
      return answer;
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: each delivered once, the counts what was delivered; the bounced ones held for the pass, then visible for the next decision
    expect({ status: summary.status, moved: summary.moved, skipped: summary.skipped, arrivedLater: summary.arrivedLater }).toEqual({ status: TaskStatus.COMPLETED, moved: 3, skipped: 1, arrivedLater: 3 });
    expect(queue.sent.map((sent) => sent.message.body)).toEqual(['body 0', 'body 2', 'body 3']);
    expect(store.records.get(taskId)).toMatchObject({ approximateNumberOfMessagesMoved: 3, numberOfMessagesSkipped: 1, numberOfMessagesUnroutable: 0 });
    expect({ invisible: queue.invisible(), visible: queue.visible.map((message) => message.body).sort() })
      .toEqual({ invisible: [], visible: ['body 0 again', 'body 1', 'body 2 again', 'body 3 again'] });
  });
});

describe('runMoverSlice: a batch\'s time budget', () => {
  it('releases what a batch could not decide and deliver in its time, undelivered and uncounted, and moves each message once', async () => {
    // Prepare: 5 matches on a MessageBody policy whose first reading takes 20 s each (a slow filter); the budget is 30 s
    const { deps, queue, store, taskId, clock } = selectiveTaskSetUp([], { filterPolicy: '{"tenant":["a"]}', filterPolicyScope: 'MessageBody' });
    let now = MOVER_BASE;
    deps.clock.now = () => new Date(now);
    clock.set = (at: number) => (now = at);
    for (let n = 0; n < 5; n += 1) queue.visible.push(slowToRead(n, () => (now += 20_000)));
    const deadlines: number[] = [];
    const receive = queue.receive.bind(queue);
    queue.receive = async (arn, input) => {
      const batch = await receive(arn, input);
      deadlines.push(now + 30_000);
      return batch;
    };
    const send = queue.send.bind(queue);
    const lateSends: number[] = [];
    queue.send = async (target, messages) => {
      if (now > deadlines.at(-1)!) lateSends.push(now);
      return send(target, messages);
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: no delivery started past its batch's budget; each message sent once, counted once
    expect({ status: summary.status, lateSends, moved: store.records.get(taskId)!.approximateNumberOfMessagesMoved }).toEqual({ status: TaskStatus.COMPLETED, lateSends: [], moved: 5 });
    expect(summary.released).toBeGreaterThan(0);
    expect(queue.sent.map((sent) => sent.message.body).sort()).toEqual(['{"tenant":"a","n":0}', '{"tenant":"a","n":1}', '{"tenant":"a","n":2}', '{"tenant":"a","n":3}', '{"tenant":"a","n":4}']);
    expect(queue.invisible()).toEqual([]);
  });
});

describe('runMoverSlice: a send that fails for one batch', () => {
  it('is retried, and the task goes on: each message delivered once, counted once', async () => {
    // Prepare: 12 matches; the first two SendMessageBatch calls are throttled (past the SDK's own retries)
    const { deps, queue, store, taskId } = selectiveTaskSetUp(Array.from({ length: 12 }, () => 'a'));
    queue.sendFailures.push(THROTTLED(), THROTTLED());
    const pauses: number[] = [];
    // Act
    const summary = await runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, sleep: async (ms) => void pauses.push(ms) });
    // Assess
    expect({ status: summary.status, moved: store.records.get(taskId)!.approximateNumberOfMessagesMoved, sends: queue.sent.length, pauses }).toEqual({ status: TaskStatus.COMPLETED, moved: 12, sends: 12, pauses: [100, 400] });
  });

  it('is released when it keeps failing for its batch, and the next batches go on', async () => {
    // Prepare: 20 matches; the first batch's three calls all fail for now
    const { deps, queue, store, taskId } = selectiveTaskSetUp(Array.from({ length: 20 }, () => 'a'));
    queue.sendFailures.push(THROTTLED(), THROTTLED(), THROTTLED());
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: the released batch came back and was moved; nothing sent twice, nothing counted twice
    expect({ status: summary.status, released: summary.released, moved: store.records.get(taskId)!.approximateNumberOfMessagesMoved, sends: queue.sent.length })
      .toEqual({ status: TaskStatus.COMPLETED, released: 10, moved: 20, sends: 20 });
    expect(new Set(queue.sent.map((sent) => sent.message.body)).size).toBe(20);
  });

  it('ends the task only when SQS refuses for good, releasing the batch', async () => {
    // Prepare
    const { deps, queue, store, taskId } = selectiveTaskSetUp(['a', 'b', 'a']);
    queue.sendFailures.push(new SqsError('AccessDenied', 'Access to the resource is denied.', 400));
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: one call, no retry; everything visible again
    expect({ status: summary.status, reason: store.records.get(taskId)!.failureReason, sent: queue.sent.length, invisible: queue.invisible(), visible: queue.visible.length })
      .toEqual({ status: TaskStatus.FAILED, reason: 'AccessDenied', sent: 0, invisible: [], visible: 3 });
  });
});

/** A message whose body takes `read()` (the clock moving on) the first time a filter reads it. */
function slowToRead(n: number, read: () => void): DlqMessage {
  let first = true;
  return {
    messageId: `slow${n}`,
    receiptHandle: `slow-r${n}`,
    messageAttributes: {},
    sentTimestamp: 1,
    sourceArn: queueArn('managed-orders'),
    get body() {
      if (first) {
        first = false;
        read();
      }
      return `{"tenant":"a","n":${n}}`;
    },
  };
}

describe('runMoverSlice: FIFO order within a message group', () => {
  it('delivers no message of a group ahead of an earlier one it released undelivered', async () => {
    // Prepare: a FIFO DLQ, two groups interleaved; the first batch's three sends are all throttled (released), then SQS takes them
    const { deps, queue, store, taskId } = selectiveTaskSetUp([], { sourceArn: queueArn('managed-orders-dlq.fifo'), destinationArn: queueArn('orders.fifo') });
    for (const [n, group] of ['g1', 'g2', 'g1', 'g2', 'g1'].entries()) queue.add('a', { messageGroupId: group, body: `${group} #${n}` });
    queue.sendFailures.push(THROTTLED(), THROTTLED(), THROTTLED());
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: each group in its order, each message once, with its group and a deduplication id of the task and the message
    expect({ status: summary.status, released: summary.released, moved: store.records.get(taskId)!.approximateNumberOfMessagesMoved }).toEqual({ status: TaskStatus.COMPLETED, released: 5, moved: 5 });
    const sent = queue.sent.map((entry) => entry.message);
    expect(sent.filter((message) => message.messageGroupId === 'g1').map((message) => message.body)).toEqual(['g1 #0', 'g1 #2', 'g1 #4']);
    expect(sent.filter((message) => message.messageGroupId === 'g2').map((message) => message.body)).toEqual(['g2 #1', 'g2 #3']);
    expect(sent[0]!.deduplicationId).toBe(`${taskId}:m0`);
  });
});

describe('runMoverSlice: the end of the pass', () => {
  it('is not proven by an empty long poll that overlapped a release: released messages are still considered', async () => {
    // Prepare: 10 matches, 2 loops; loop 1's batch is refused for now and released while loop 2's long poll is out,
    // and loop 1's next short poll misses them
    const { deps, queue, store, taskId } = selectiveTaskSetUp(Array.from({ length: 10 }, () => 'a'));
    queue.sendFailures.push(THROTTLED(), THROTTLED(), THROTTLED());
    let released!: () => void;
    const releasedNow = new Promise<void>((resolve) => (released = resolve));
    const changeVisibility = queue.changeVisibility.bind(queue);
    queue.changeVisibility = async (arn, handles, seconds) => {
      await changeVisibility(arn, handles, seconds);
      if (seconds === 0) released();
    };
    const receive = queue.receive.bind(queue);
    let longPolls = 0;
    let missed = false;
    queue.receive = async (arn, input) => {
      const { waitSeconds } = input as { waitSeconds?: number };
      // a short poll asks only some of SQS's servers: the first one after the release misses the released messages
      if (waitSeconds === 0 && queue.visible.length > 0 && !missed && longPolls > 0) {
        missed = true;
        return [];
      }
      if (waitSeconds !== 1 || longPolls++ > 0) return receive(arn, input);
      // the first long poll finds nothing when asked, and answers only after the release
      const answer = await receive(arn, input);
      await releasedNow;
      return answer;
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, loops: 2 });
    // Assess
    expect({ status: summary.status, moved: store.records.get(taskId)!.approximateNumberOfMessagesMoved, visible: queue.visible.length, released: summary.released })
      .toEqual({ status: TaskStatus.COMPLETED, moved: 10, visible: 0, released: 10 });
  });
});
