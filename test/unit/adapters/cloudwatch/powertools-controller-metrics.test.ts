import { PowertoolsControllerMetrics } from '../../../../lambda/adapters/cloudwatch/powertools-controller-metrics';
import { meteredTaskStore } from '../../../../lambda/domain/metered-task-store';
import type { TaskStore } from '../../../../lambda/domain/ports';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { withMetrics } from '../../../../lambda/entry/with-metrics';

interface EmfDocument {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

/** What the function writes to stdout while `work` runs, as EMF documents (one JSON line each). */
async function emfOf(work: () => Promise<void>): Promise<EmfDocument[]> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfDocument);
}

const context = { functionName: 'controller-api' } as never;

describe('PowertoolsControllerMetrics', () => {
  it('writes the counters with no dimension, each DLQ as its own document with QueueName, and the cold start once', async () => {
    // Prepare: Lambda says how it started the instance; Powertools counts a cold start only on demand
    // (its ColdStart keeps Powertools' own service and function_name dimensions)
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const metrics = new PowertoolsControllerMetrics();
    delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    const handler = withMetrics(metrics, async () => {
      metrics.count('RedrivesStarted', 1);
      metrics.count('MessagesMoved', 30);
      metrics.dlqTotals({ deadLetterMessages: 12, newDeadLetterMessages: 4 });
      metrics.dlq('orders-dlq', { deadLetterMessages: 12, newDeadLetterMessages: 4, oldestDeadLetterAgeSeconds: 600, secondsUntilOldestExpires: 3600 });
    });

    // Act
    const first = await emfOf(() => handler({}, context));
    const second = await emfOf(() => handler({}, context));

    // Assess
    const coldStart = first.find((doc) => 'ColdStart' in doc)!;
    expect(coldStart._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'RedriveController', Dimensions: [['service', 'function_name']] });
    expect(coldStart.function_name).toBe('controller-api');
    const counters = first.find((doc) => 'RedrivesStarted' in doc)!;
    expect(counters._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([]);
    expect(counters).toMatchObject({ RedrivesStarted: 1, MessagesMoved: 30, DeadLetterMessages: 12, NewDeadLetterMessages: 4 });
    expect(counters).not.toHaveProperty('service');
    const dlq = first.find((doc) => doc.QueueName === 'orders-dlq')!;
    expect(dlq._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'RedriveController', Dimensions: [['QueueName']] });
    expect(dlq._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'DeadLetterMessages', Unit: 'Count' },
      { Name: 'NewDeadLetterMessages', Unit: 'Count' },
      { Name: 'OldestDeadLetterAgeSeconds', Unit: 'Seconds' },
      { Name: 'SecondsUntilOldestExpires', Unit: 'Seconds' },
    ]);
    expect(dlq).toMatchObject({ DeadLetterMessages: 12, NewDeadLetterMessages: 4, OldestDeadLetterAgeSeconds: 600, SecondsUntilOldestExpires: 3600 });
    expect(first).toHaveLength(3);
    expect(second.some((doc) => 'ColdStart' in doc)).toBe(false);
  });

  it('keeps 2,000 DLQs within EMF\'s 100 metrics a document', async () => {
    // Prepare
    const metrics = new PowertoolsControllerMetrics();

    // Act
    const documents = await emfOf(async () => {
      for (let at = 0; at < 2000; at += 1) metrics.dlq(`dlq-${at}`, { deadLetterMessages: at, newDeadLetterMessages: 0 });
      metrics.flush();
    });

    // Assess
    expect(documents).toHaveLength(2000);
    expect(Math.max(...documents.map((doc) => doc._aws.CloudWatchMetrics[0]!.Metrics.length))).toBeLessThanOrEqual(100);
    expect(documents[1999]).toMatchObject({ QueueName: 'dlq-1999', DeadLetterMessages: 1999 });
  });

  it('writes a replay\'s messages as MessagesReplayed and the redrive\'s as MessagesMoved, from the task store\'s winning writes', async () => {
    // Prepare
    const metrics = new PowertoolsControllerMetrics();
    const tasks = meteredTaskStore({ replace: async () => true } as unknown as TaskStore, metrics);
    const record = (kind: TaskRecord['kind'], moved: number): TaskRecord => ({
      taskId: 't', taskHandle: 'h', sourceArn: 'arn:aws:sqs:us-east-1:111111111111:dlq', status: TaskStatus.RUNNING, approximateNumberOfMessagesMoved: moved,
      createdAt: 'x', updatedAt: 'x', startedBy: 'me', origin: 'api', version: 1, kind,
    });
    const handler = withMetrics(metrics, async () => {
      await tasks.replace(record('replay', 0), record('replay', 25));
      await tasks.replace(record('selective', 0), record('selective', 4));
    });

    // Act
    const documents = await emfOf(() => handler({}, context));

    // Assess
    const counters = documents.find((doc) => 'MessagesReplayed' in doc)!;
    expect(counters).toMatchObject({ MessagesReplayed: 25, MessagesMoved: 4 });
    expect(counters._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'RedriveController', Dimensions: [] });
    expect(counters._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({ Name: 'MessagesReplayed', Unit: 'Count' });
  });
});
