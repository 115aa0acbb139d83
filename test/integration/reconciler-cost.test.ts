import { useTestStack } from '../support/local-stack-fixture';
import type { RecordedCall } from '../support/recording-proxy';
import { finishedRecord, putTaskRecords } from '../support/task-items';

/** Calls per target, writes apart: a write happens only for a task whose count moved since the last run. */
function tally(calls: readonly RecordedCall[]): { reads: Record<string, number>; writes: number } {
  const reads: Record<string, number> = {};
  let writes = 0;
  for (const call of calls) {
    if (call.target.endsWith('.PutItem')) writes += 1;
    else reads[call.target] = (reads[call.target] ?? 0) + 1;
  }
  return { reads, writes };
}

describe('the reconciler\'s cost', () => {
  const t = useTestStack();

  it('makes the same SQS and DynamoDB calls for 10 active tasks whether the table holds 10 or 5,000 finished tasks', async () => {
    // Prepare: 10 slow redrives, on their own queues, and 10 finished tasks of history
    const dlqs = await Promise.all(Array.from({ length: 10 }, () => t.seedDlq(30, 'cost')));
    for (const dlq of dlqs) await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    await putTaskRecords(t.dynamoDb, t.stack.tableName, Array.from({ length: 10 }, (_, index) => finishedRecord(dlqs[index % 10]!.dlqArn, index, 60)));
    await t.reconcile();
    const measure = async () => {
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
      const summary = await t.reconcile();
      return { summary, sqs: tally(t.sqsProxy.calls), dynamoDb: tally(t.dynamoDbProxy.calls) };
    };

    // Act
    const small = await measure();
    await putTaskRecords(t.dynamoDb, t.stack.tableName, Array.from({ length: 4_990 }, (_, index) => finishedRecord(dlqs[index % 10]!.dlqArn, index, 120 + index)));
    const large = await measure();

    // Assess
    expect(small.summary.active).toBe(10);
    expect(large.summary.active).toBe(10);
    expect(large.sqs).toEqual(small.sqs);
    expect(large.dynamoDb.reads).toEqual(small.dynamoDb.reads);
    // one ListQueues, one ListMessageMoveTasks per queue (10 DLQs + their 10 source queues), no cancels
    expect(small.sqs.reads).toEqual({ 'AmazonSQS.ListQueues': 1, 'AmazonSQS.ListMessageMoveTasks': 20 });
    // two pages of the active index (RUNNING, CANCELLING) and one of the stale-outbox index
    expect(small.dynamoDb.reads).toEqual({ 'DynamoDB_20120810.Query': 3 });
    for (const run of [small, large]) expect(run.dynamoDb.writes).toBeLessThanOrEqual(10);
    const history = await t.get('/tasks?status=COMPLETED&limit=100');
    expect(history.body.tasks).toHaveLength(100);
    expect(history.body.nextToken).toBeDefined();
  });
});
