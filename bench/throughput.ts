// Requests per second for cancel and for list with 1, 10 and 50 concurrent clients, on 127.0.0.1.
// One function process serves them all (Lambda would scale out instances); bounded request counts.
import { inParallel } from '../lambda/domain/in-parallel';
import type { BenchStack } from './bench-stack';
import type { Report } from './report';
import { seedDlqs, startRunningTasks } from './running-tasks';

export const CONCURRENCY = [1, 10, 50] as const;

export async function measureThroughput(report: Report, t: BenchStack, requestsPerLevel: number): Promise<void> {
  const section = 'throughput';
  const clients = { sqs: t.sqs, dynamoDb: t.dynamoDb, tableName: t.stack.tableName };
  const dlqs = await seedDlqs(t.sqs, requestsPerLevel * CONCURRENCY.length, 'bench-throughput');
  const listed = dlqs[0]!.dlqArn;
  for (const [level, clientsAtOnce] of CONCURRENCY.entries()) {
    const tasks = await startRunningTasks(clients, dlqs.slice(level * requestsPerLevel, (level + 1) * requestsPerLevel));
    const cancel = await timed(tasks, clientsAtOnce, (task) => t.post('/CancelMessageMoveTask', { TaskHandle: task.taskHandle }));
    const list = await timed(tasks, clientsAtOnce, () => t.post('/ListMessageMoveTasks', { SourceArn: listed, MaxResults: 10 }));
    const history = await timed(tasks, clientsAtOnce, () => t.get(`/tasks?limit=20`));
    report.info(
      section,
      `${clientsAtOnce} client${clientsAtOnce > 1 ? 's' : ''}: cancel / ListMessageMoveTasks / GET /tasks`,
      `${cancel} / ${list} / ${history} req/s (n=${tasks.length} each)`,
    );
  }
}

async function timed<T>(items: readonly T[], concurrency: number, send: (item: T) => Promise<number>): Promise<string> {
  const started = performance.now();
  const statuses = await inParallel(items, concurrency, send);
  const seconds = (performance.now() - started) / 1000;
  const failed = statuses.filter((status) => status !== 200).length;
  if (failed) throw new Error(`${failed} of ${items.length} requests failed (statuses ${[...new Set(statuses)].join(', ')})`);
  return (items.length / seconds).toFixed(0);
}
