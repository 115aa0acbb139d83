import { randomUUID } from 'node:crypto';

import type { TaskRecord } from '../../lambda/domain/task-record';
import { useTestStack } from '../support/local-stack-fixture';
import { putTaskRecords } from '../support/task-items';

const queue = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}-${randomUUID().slice(0, 8)}`;

function record(sourceArn: string, status: TaskRecord['status'], minutesAgo: number): TaskRecord {
  const at = new Date(Date.UTC(2026, 0, 1) - minutesAgo * 60_000).toISOString();
  return {
    taskId: randomUUID(),
    taskHandle: 'history',
    sourceArn,
    status,
    approximateNumberOfMessagesMoved: 1,
    createdAt: at,
    updatedAt: at,
    startedBy: 'arn:aws:iam::111122223333:user/alice',
    startReason: `minute ${minutesAgo}`,
    origin: 'api',
    version: 1,
  };
}

describe('GET /tasks: stable paging and filters over seeded history', () => {
  const t = useTestStack();

  async function allPages(query: string, limit: number, between?: () => Promise<void>): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.get(`/tasks?${query}&limit=${limit}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      expect(page.status).toBe(200);
      ids.push(...page.body.tasks.map((task: { taskId: string }) => task.taskId));
      token = page.body.nextToken;
      pages += 1;
      if (pages === 1 && between) await between();
    } while (token);
    return { ids, pages };
  }

  it('pages one queue newest first, stable when a newer task arrives between pages', async () => {
    // Prepare
    const orders = queue('orders-dlq');
    const mine = Array.from({ length: 8 }, (_, index) => record(orders, index % 2 === 0 ? 'COMPLETED' : 'FAILED', index * 10));
    await putTaskRecords(t.dynamoDb, t.stack.tableName, [...mine, ...Array.from({ length: 5 }, (_, index) => record(queue('other'), 'COMPLETED', index))]);

    // Act
    const { ids, pages } = await allPages(`sourceArn=${encodeURIComponent(orders)}`, 3, () =>
      putTaskRecords(t.dynamoDb, t.stack.tableName, [record(orders, 'COMPLETED', -5)]),
    );

    // Assess: the 8, newest first, no repeats and none skipped; the newcomer sorts before page 1
    expect(ids).toEqual(mine.map((task) => task.taskId));
    expect(pages).toBe(3);
  });

  it('filters by status, alone and with the queue, and keeps who and why', async () => {
    // Prepare
    const payments = queue('payments-dlq');
    const tasks = [record(payments, 'FAILED', 3), record(payments, 'COMPLETED', 2), record(payments, 'FAILED', 1)];
    await putTaskRecords(t.dynamoDb, t.stack.tableName, tasks);

    // Act
    const failedHere = await allPages(`sourceArn=${encodeURIComponent(payments)}&status=FAILED`, 1);
    const failedAnywhere = await allPages('status=FAILED', 100);
    const one = await t.get(`/tasks/${tasks[0]!.taskId}`);
    const wrongToken = await t.get(`/tasks?status=FAILED&nextToken=${encodeURIComponent(Buffer.from(JSON.stringify({ i: 'by-source', k: {} })).toString('base64url'))}`);

    // Assess
    expect(failedHere.ids).toEqual([tasks[2]!.taskId, tasks[0]!.taskId]);
    expect(failedAnywhere.ids).toEqual(expect.arrayContaining([tasks[2]!.taskId, tasks[0]!.taskId]));
    expect(failedAnywhere.ids).not.toContain(tasks[1]!.taskId);
    expect(one.body).toMatchObject({ startedBy: 'arn:aws:iam::111122223333:user/alice', startReason: 'minute 3', origin: 'api' });
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.body.message).toMatch(/nextToken/);
  });
});
