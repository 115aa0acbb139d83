import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';

import { useTestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';
import { scanTable } from '../support/table-scan';

const CANCEL = 'AmazonSQS.CancelMessageMoveTask';

/** The conditional claim under load: many callers, one SQS call per task. */
describe('concurrent requests', () => {
  const t = useTestStack({}, { resetCallsBeforeEach: true });

  /** SQS cancel calls the function made, per task handle, from the proxy's recorded bodies. */
  function cancelsPerHandle(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of t.sqsProxy.calls.filter((recorded) => recorded.target === CANCEL)) {
      const handle = JSON.parse(call.body).TaskHandle as string;
      counts.set(handle, (counts.get(handle) ?? 0) + 1);
    }
    return counts;
  }

  it('lets exactly one of 100 concurrent cancels of one task reach SQS; the other 99 get a clear 400', async () => {
    // Prepare
    const task = await t.runningTask('c100');
    t.sqsProxy.reset();
    // Act
    const answers = await Promise.all(Array.from({ length: 100 }, (_, at) => t.post('/CancelMessageMoveTask', { TaskHandle: task.handle, Reason: `caller ${at}` })));
    // Assess
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status === 400);
    expect(refused).toHaveLength(99);
    for (const answer of refused) {
      expect(answer.body).toEqual({
        __type: 'com.amazonaws.sqs#InvalidParameterValue',
        message: expect.stringMatching(new RegExp(`^Only RUNNING tasks can be cancelled; task ${task.taskId} is CANCELL(ING|ED)$`)),
      });
    }
    expect(t.sqsProxy.count(CANCEL)).toBe(1);
    const record = await t.get(`/tasks/${task.taskId}`);
    const winner = answers.findIndex((answer) => answer.status === 200);
    expect(record.body).toMatchObject({ cancelReason: `caller ${winner}`, cancelledBy: 'arn:aws:iam::123456789012:role/local' });
    recordFigure(__filename, { area: 'concurrency', scenario: 'concurrent cancels of one task', concurrentRequests: 100, held: '1 SQS cancel, 1 × 200, 99 × 400 InvalidParameterValue; the winner\'s Reason recorded' });
  });

  it('cancels 50 tasks on 50 queues exactly once each under 200 concurrent requests', async () => {
    // Prepare: 4 requests per task, shuffled, in both JSON styles
    // started 10 at a time: what is proven is the cancels under load; 50 starts at once can time out the SQS
    // emulator's StartMessageMoveTask, and the SDK's retry of a start that did begin answers "already a task running"
    const tasks: Awaited<ReturnType<typeof t.runningTask>>[] = [];
    for (let at = 0; at < 50; at += 10) tasks.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => t.runningTask(`c50-${at + i}`)))));
    const requests = tasks.flatMap((task) => [0, 1, 2, 3].map((copy) => ({ task, copy })));
    for (let at = requests.length - 1; at > 0; at -= 1) {
      const other = Math.floor(Math.random() * (at + 1));
      [requests[at], requests[other]] = [requests[other]!, requests[at]!];
    }
    t.sqsProxy.reset();
    // Act
    const answers = await Promise.all(
      requests.map(({ task, copy }) =>
        copy % 2 === 0
          ? t.post('/CancelMessageMoveTask', { TaskHandle: task.handle })
          : t.post('/', { TaskHandle: task.handle }, { 'x-amz-target': 'AmazonSQS.CancelMessageMoveTask', 'content-type': 'application/x-amz-json-1.0' }),
      ),
    );
    // Assess: per task, one 200 and one SQS call; the rest refused
    const perHandle = cancelsPerHandle();
    expect(perHandle.size).toBe(50);
    for (const task of tasks) expect(perHandle.get(task.handle)).toBe(1);
    for (const task of tasks) {
      const own = answers.filter((_, at) => requests[at]!.task === task);
      expect(own.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400]);
    }
    const items = await scanTable(t.dynamoDb, t.stack.tableName);
    const ours = items.filter((item) => tasks.some((task) => task.taskId === item.taskId?.S));
    expect(ours).toHaveLength(50);
    for (const item of ours) expect(['CANCELLING', 'CANCELLED']).toContain(item.status?.S);
    recordFigure(__filename, { area: 'concurrency', scenario: '50 tasks on 50 queues, 4 cancels each, shuffled, path + JSON styles', concurrentRequests: 200, held: 'each task: exactly 1 SQS cancel and 1 × 200; 150 × 400; 50 records CANCELLING/CANCELLED' });
  });

  it('lets one of 20 concurrent starts on one queue run; the table holds exactly one record for the queue', async () => {
    // Prepare
    const dlq = await t.seedDlq(30, 'start-race');
    // Act
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, at) => t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: `starter ${at}` })),
    );
    // Assess
    const started = answers.filter((answer) => answer.status === 200);
    expect(started).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status === 400);
    expect(refused).toHaveLength(19);
    for (const answer of refused) expect(answer.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: expect.stringMatching(/already a task running/) });
    const items = (await scanTable(t.dynamoDb, t.stack.tableName)).filter((item) => item.sourceArn?.S === dlq.dlqArn);
    expect(items).toHaveLength(1);
    expect(items[0]!.taskHandle?.S).toBe(started[0]!.body.TaskHandle);
    const inSqs = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 10 }));
    expect(inSqs.Results).toHaveLength(1);
    recordFigure(__filename, { area: 'concurrency', scenario: 'concurrent starts on one queue', concurrentRequests: 20, held: '1 × 200, 19 × 400 (SQS refuses a second active task); 1 record and 1 SQS task for the queue' });
  });
});
