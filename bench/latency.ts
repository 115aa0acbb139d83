// Warm latency of a successful cancel through the local HTTP API, against the necessary work: the
// same calls made directly on the emulators from a process of their own
// (bench/necessary-work.ts). The two alternate, request by request, each on its own RUNNING task.
import { type ChildProcess,fork } from 'node:child_process';
import { resolve } from 'node:path';

import type { BenchStack } from './bench-stack';
import { percentile, processCpuMs } from './bench-stack';
import { ms, ratio, type Report } from './report';
import { type RunningTask,seedDlqs, startRunningTasks } from './running-tasks';

const WARM_UP = 10;
// a task stays RUNNING about 10 s (running-tasks.ts): a batch of 10 pairs ends well within it on a loaded machine
const BATCH = 10;

export async function measureLatency(report: Report, t: BenchStack, pairs: number): Promise<void> {
  const total = WARM_UP + pairs;
  const dlqs = await seedDlqs(t.sqs, total * 2, 'bench-latency');
  const clients = { sqs: t.sqs, dynamoDb: t.dynamoDb, tableName: t.stack.tableName };
  const direct = await startNecessaryWork(t);
  const api: number[] = [];
  const raw: number[] = [];
  const floor: number[] = [];
  let cpuMs = 0;
  let directCpuMs = 0;
  try {
    for (let from = 0; from < total; from += BATCH) {
      // tasks start right before their batch, so they are still RUNNING when cancelled
      const count = Math.min(BATCH, total - from);
      const tasks = await startRunningTasks(clients, dlqs.slice(from * 2, (from + count) * 2));
      for (let i = 0; i < count; i += 1) {
        const warm = from + i >= WARM_UP;
        const viaApi = async () => {
          const cpuBefore = t.functionCpuMs() ?? 0;
          const started = performance.now();
          const status = await t.post('/CancelMessageMoveTask', { TaskHandle: tasks[i * 2]!.taskHandle });
          const elapsed = performance.now() - started;
          if (status !== 200) throw new Error(`API cancel answered ${status}`);
          if (warm) {
            api.push(elapsed);
            cpuMs += (t.functionCpuMs() ?? 0) - cpuBefore;
          }
        };
        const viaSdk = async () => {
          const cpuBefore = direct.cpuMs() ?? 0;
          const elapsed = await direct.cancel(tasks[i * 2 + 1]!);
          if (warm) {
            raw.push(elapsed);
            directCpuMs += (direct.cpuMs() ?? 0) - cpuBefore;
          }
        };
        // the harness alone: gateway, IPC and a handler that refuses before any AWS call
        const started = performance.now();
        await t.post('/UnknownAction', {});
        if (warm) floor.push(performance.now() - started);
        if (i % 2 === 0) {
          await viaApi();
          await viaSdk();
        } else {
          await viaSdk();
          await viaApi();
        }
      }
    }
  } finally {
    direct.stop();
  }
  const section = 'warm latency';
  const p50 = { api: percentile(api, 50), raw: percentile(raw, 50), floor: percentile(floor, 50) };
  const p99 = { api: percentile(api, 99), raw: percentile(raw, 99), floor: percentile(floor, 99) };
  report.info(section, `cancel via HTTP API p50 / p99 (n=${api.length})`, `${ms(p50.api)} / ${ms(p99.api)}`);
  report.info(section, `necessary SDK calls p50 / p99 (n=${raw.length})`, `${ms(p50.raw)} / ${ms(p99.raw)}`);
  report.info(section, 'local harness alone p50 / p99 (no AWS call)', `${ms(p50.floor)} / ${ms(p99.floor)}`);
  report.atMost(section, 'p50 ratio API / necessary', p50.api / p50.raw, 1.3, ratio);
  report.atMost(section, 'p99 ratio API / necessary', p99.api / p99.raw, 1.3, ratio);
  report.info(section, 'p50 ratio (API − harness) / necessary', ratio((p50.api - p50.floor) / p50.raw));
  report.info(
    section,
    'function process CPU per cancel',
    t.functionCpuMs() === undefined ? 'n/a (reads /proc)' : `${ms(cpuMs / api.length)} (user+system, ${api.length} cancels)`,
  );
  report.info(section, 'necessary-work process CPU per cancel', direct.cpuMs() === undefined ? 'n/a (reads /proc)' : ms(directCpuMs / raw.length));
}

interface NecessaryWork {
  cancel(task: RunningTask): Promise<number>;
  cpuMs(): number | undefined;
  stop(): void;
}

async function startNecessaryWork(t: BenchStack): Promise<NecessaryWork> {
  const env = { sqsUrl: t.stack.sqsUrl, dynamoDbUrl: t.stack.dynamoDbUrl, eventsUrl: t.stack.eventsUrl, region: t.stack.region, tableName: t.stack.tableName };
  const child: ChildProcess = fork(resolve(__dirname, 'necessary-work.ts'), [JSON.stringify(env)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  await new Promise<void>((ready, failed) => {
    child.once('message', () => ready());
    child.once('exit', (code) => failed(new Error(`bench/necessary-work.ts exited (${code})`)));
  });
  let next = 0;
  const waiting = new Map<number, { done: (ms: number) => void; failed: (error: Error) => void }>();
  child.on('message', (answer: { id: number; ms?: number; error?: string }) => {
    const pending = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) pending?.failed(new Error(answer.error));
    else pending?.done(answer.ms!);
  });
  return {
    cancel: (task) =>
      new Promise((done, failed) => {
        const id = next++;
        waiting.set(id, { done, failed });
        child.send({ id, taskId: task.taskId, taskHandle: task.taskHandle });
      }),
    cpuMs: () => (child.pid === undefined ? undefined : processCpuMs(child.pid)),
    stop: () => child.disconnect(),
  };
}
