// A selective task's fixed time: a small DLQ (10 messages, half of them skipped) moved by one task,
// timed from the start request to COMPLETED, and where the time goes (each SQS and DynamoDB call the
// functions make, on a timeline). Alone: `npx tsx bench/selective-fixed-time.ts [runs] [rtt ms]`: with an
// rtt, every SQS and DynamoDB call the functions make is delayed that long (AWS's round trip, not the
// emulators'), so the calls a task makes one after another show through a busy machine's noise.
import { randomUUID } from 'node:crypto';

import { parseTaskHandle } from '../lambda/domain/task-handle';
import { seedDlq } from '../local/seed-dlq';
import { startTestStack } from '../test/support/local-stack-fixture';

const FINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 7);
  const rttMs = Number(process.argv[3] ?? 0);
  const t = await startTestStack();
  try {
    const totals: number[] = [];
    const slices: number[] = [];
    let lastTimeline: string[] = [];
    for (let run = 0; run < runs + 1; run += 1) {
      const dlq = await seedDlq(t.sqs, `fixed-${randomUUID().slice(0, 6)}`, 10, (index) => JSON.stringify({ tenant: index % 2 === 0 ? 'a' : 'b' }));
      const timeline: Array<[number, string]> = [];
      const note = (service: string) => (call: { target: string; body: string }) => {
        timeline.push([performance.now(), `${service} ${call.target.split('.').pop()}${/"WaitTimeSeconds":([1-9])/.exec(call.body) ? ' (long poll)' : ''}`]);
        return rttMs > 0;
      };
      t.sqsProxy.inject({ match: note('sqs'), times: Number.POSITIVE_INFINITY, delayMs: rttMs });
      t.dynamoDbProxy.inject({ match: note('dynamodb'), times: Number.POSITIVE_INFINITY, delayMs: rttMs });
      const started = performance.now();
      const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] }, FilterPolicyScope: 'MessageBody' });
      if (answer.status !== 200) throw new Error(`start refused: ${answer.text}`);
      const { taskId } = parseTaskHandle((answer.body as { TaskHandle: string }).TaskHandle);
      let status = '';
      while (!FINAL.has(status)) {
        status = ((await t.get(`/tasks/${taskId}`)).body as { Status: string }).Status;
        if (!FINAL.has(status)) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const total = performance.now() - started;
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
      // the first run warms the mover's process: not counted
      if (run === 0) continue;
      totals.push(total);
      // the mover's own line: from its handler's start (the lease) to its end (release, final write, event)
      const lineOf = () => [...t.logs].reverse().find((logged) => logged.includes('"mover slice"') && logged.includes(taskId));
      for (let waited = 0; !lineOf() && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      const line = lineOf();
      if (line) slices.push(Number(/"durationMs":(\d+)/.exec(line)?.[1]));
      lastTimeline = timeline.map(([at, what]) => `${String(Math.round(at - started)).padStart(6)} ms  ${what}`);
    }
    totals.sort((a, b) => a - b);
    console.log(`10 messages (5 moved, 5 skipped), ${rttMs} ms added to each SQS and DynamoDB call; start request to COMPLETED over ${runs} runs: median ${Math.round(totals[Math.floor(runs / 2)]!)} ms, min ${Math.round(totals[0]!)} ms, max ${Math.round(totals.at(-1)!)} ms`);
    slices.sort((a, b) => a - b);
    console.log(`the mover's slice (lease to final write and event; the pass over 10 messages included): median ${slices[Math.floor(slices.length / 2)]} ms, min ${slices[0]} ms, max ${slices.at(-1)} ms`);
    console.log('the last run\'s calls (from the start request):');
    console.log(lastTimeline.join('\n'));
  } finally {
    await t.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
