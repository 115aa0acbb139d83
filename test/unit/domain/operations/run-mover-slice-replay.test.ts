import { RoutingDestination } from '../../../../lambda/adapters/replay/routing-destination';
import { SqsQueueDestination } from '../../../../lambda/adapters/sqs/sqs-queue-destination';
import type { Delivery, MessageDestination } from '../../../../lambda/domain/mover/message-destination';
import { runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { ConfiguredReplayScope } from '../../../../lambda/domain/replay/replay-scope';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { ACCOUNT, queueArn, REGION } from '../../../support/fake-dependencies';
import { MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`;
const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-rule`;
const attribute = (value: string) => ({ DataType: 'String', StringValue: value });

/** A function destination that records each invocation; functions named `gone` do not exist. */
function functions(): MessageDestination & { invoked: Delivery[] } {
  const invoked: Delivery[] = [];
  return {
    invoked,
    deliver: async (_taskId, deliveries) => {
      const gone = deliveries.filter((delivery) => delivery.target.endsWith(':gone'));
      invoked.push(...deliveries.filter((delivery) => !gone.includes(delivery)));
      return {
        accepted: deliveries.filter((delivery) => !gone.includes(delivery)).map((delivery) => delivery.id),
        refused: gone.map((delivery) => ({ id: delivery.id, code: 'ResourceNotFoundException', permanent: false, gone: true })),
      };
    },
  };
}

function replaySetUp(overrides: Partial<TaskRecord> = {}) {
  const set = selectiveTaskSetUp([], { kind: 'replay', filterPolicy: undefined, filterPolicyScope: undefined, replayOrigin: 'eventbridge', replayFunctions: [FN], ...overrides });
  const invoke = functions();
  const unused: MessageDestination = { deliver: async () => ({ accepted: [], refused: [] }) };
  Object.assign(set.deps, {
    destination: new RoutingDestination({ queue: new SqsQueueDestination(set.queue), function: invoke, topic: unused, bus: unused }),
    replayScope: new ConfiguredReplayScope({ replayTargets: [`${FN}*`, queueArn('orders-target'), queueArn('orders.fifo')] }),
  });
  return { ...set, invoke };
}

describe('runMoverSlice (a replay)', () => {
  it('delivers each message to where it says it failed, deletes only what was accepted, and keeps the rest as unroutable', async () => {
    // Prepare: an on-failure record, a Lambda DLQ message, an EventBridge DLQ message to a queue,
    // one to a queue that does not exist, one to a function not allowed, one in no known format
    const { deps, queue, store, taskId, invoke } = replaySetUp();
    queue.add('', { body: JSON.stringify({ requestContext: { functionArn: `${FN}:live`, condition: 'RetriesExhausted' }, requestPayload: { order: 1 } }) });
    queue.add('', { body: '{"order":2}', messageAttributes: { RequestID: attribute('r-2'), ErrorCode: { DataType: 'Number', StringValue: '200' }, ErrorMessage: attribute('boom') } });
    queue.add('', { body: '{"order":3}', messageAttributes: { RULE_ARN: attribute(RULE), TARGET_ARN: attribute(queueArn('orders-target')) } });
    queue.add('', { body: '{"order":4}', messageAttributes: { RULE_ARN: attribute(RULE), TARGET_ARN: attribute(`${FN}:gone`) } });
    queue.add('', { body: '{"order":5}', messageAttributes: { RULE_ARN: attribute(RULE), TARGET_ARN: attribute(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:other`) } });
    queue.add('', { body: 'plain' });

    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);

    // Assess: three delivered, each with its payload alone; three stay (one gone, one not allowed, one unknown)
    const record = store.records.get(taskId)!;
    expect({ status: record.status, moved: record.approximateNumberOfMessagesMoved, unroutable: record.numberOfMessagesUnroutable, skipped: record.numberOfMessagesSkipped })
      .toEqual({ status: TaskStatus.COMPLETED, moved: 3, unroutable: 3, skipped: 0 });
    expect(summary.unroutable).toBe(3);
    expect(invoke.invoked.map((delivery) => [delivery.target, delivery.message.body])).toEqual([
      [`${FN}:live`, '{"order":1}'],
      [FN, '{"order":2}'],
    ]);
    expect(queue.sent.map((sent) => [sent.target, sent.message.body, sent.message.messageAttributes])).toEqual([[queueArn('orders-target'), '{"order":3}', {}]]);
    expect(queue.invisible()).toEqual([]);
    expect(queue.visible.map((message) => message.body).sort()).toEqual(['plain', '{"order":4}', '{"order":5}']);
  });

  it('sends to a FIFO queue target with its rule target\'s MessageGroupId, and keeps a transformed target\'s messages, as the task record says', async () => {
    // Prepare: the inventory knew at the start: the FIFO queue's rule target names group "orders", the function's transforms its input
    const { deps, queue, store, taskId, invoke } = replaySetUp({
      replayRuleTargets: [
        { ruleArn: RULE, targetArn: queueArn('orders.fifo'), messageGroupId: 'orders' },
        { ruleArn: RULE, targetArn: FN, inputTransformation: 'InputTransformer' },
      ],
    });
    queue.add('', { body: '{"order":6}', messageAttributes: { RULE_ARN: attribute(RULE), TARGET_ARN: attribute(queueArn('orders.fifo')) } });
    queue.add('', { body: '{"order":7}', messageAttributes: { RULE_ARN: attribute(RULE), TARGET_ARN: attribute(FN) } });

    // Act
    await runMoverSlice(deps, taskId, MOVER_OPTIONS);

    // Assess
    const record = store.records.get(taskId)!;
    expect([record.approximateNumberOfMessagesMoved, record.numberOfMessagesUnroutable]).toEqual([1, 1]);
    expect(queue.sent.map((sent) => [sent.target, sent.message.body, sent.message.messageGroupId])).toEqual([[queueArn('orders.fifo'), '{"order":6}', 'orders']]);
    expect(invoke.invoked).toEqual([]);
    expect(queue.visible.map((message) => message.body)).toEqual(['{"order":7}']);
  });
});
