// Recovery (docs/recovery.md): time to stop (PutEvents of an alarm's ALARM → SQS's
// CancelMessageMoveTask call, and → SQS showing CANCELLED) over 20 trips at 100 messages/s, with the
// messages moved after the alarm; time to resume after the quiet period on the local 5-second tick;
// SQS and DynamoDB calls of one ramp step.
import { randomUUID } from 'node:crypto';

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS } from '../local/local-stack';
import { seedDlq } from '../local/seed-dlq';
import { startTestStack, type TestStack } from '../test/support/local-stack-fixture';
import { percentile } from './bench-stack';
import { ms, type Report } from './report';

const TRIPS = Number(process.env.BENCH_RECOVERY_TRIPS ?? 20);
const RESUMES = 5;
const RATE = 100;
const SECTION = 'recovery';

export async function measureRecovery(report: Report): Promise<void> {
  await measureStopAndResume(report);
  await measureRampStep(report);
}

const names = (run: string, what: string, count: number) => Array.from({ length: count }, (_, at) => `bench-rec-${run}-${what}-${at}`);
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}-dlq`;

async function measureStopAndResume(report: Report): Promise<void> {
  const run = randomUUID().slice(0, 6);
  const trips = names(run, 'trip', TRIPS);
  const resumes = names(run, 'resume', RESUMES);
  const policies = [
    ...trips.map((name) => ({ dlq: arnOf(name), alarms: [`${name}-errors`], rampEverySeconds: 3600 })),
    ...resumes.map((name) => ({ dlq: arnOf(name), alarms: [`${name}-errors`], resumeAfterOkSeconds: 2, startRate: 1, rampEverySeconds: 3600 })),
  ];
  // the local stack as npm start runs it: the reconciler's tick every 5 s
  const t = await startTestStack({ onLog: () => undefined, reconcileIntervalMs: 5000, recoveryPolicies: policies });
  const events = new EventBridgeClient({ endpoint: t.stack.eventsUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS });
  try {
    const toCall: number[] = [];
    const toCancelled: number[] = [];
    const movedAfter: number[] = [];
    for (const name of trips) {
      await seedDlq(t.sqs, name, 400);
      const started = await t.post('/StartMessageMoveTask', { SourceArn: arnOf(name), MaxNumberOfMessagesPerSecond: RATE, Reason: 'bench' });
      if (started.status !== 200) throw new Error(`bench: start refused: ${started.text}`);
      const handle = started.body.TaskHandle as string;
      await new Promise((resolve) => setTimeout(resolve, 1200));
      let cancelAt: number | undefined;
      // records when the cancel reaches SQS; never applies a fault
      t.sqsProxy.inject({ match: (call) => (call.target === 'AmazonSQS.CancelMessageMoveTask' && call.body.includes(handle) && (cancelAt ??= performance.now()), false) });
      const before = await moved(t, arnOf(name));
      const putAt = performance.now();
      await alarm(events, `${name}-errors`, 'ALARM', new Date());
      let entry;
      do entry = await newest(t, arnOf(name));
      while (entry?.Status !== 'CANCELLED' && performance.now() - putAt < 10_000);
      if (cancelAt === undefined || entry?.Status !== 'CANCELLED') throw new Error(`bench: ${name} was not cancelled within 10 s`);
      toCall.push(cancelAt - putAt);
      toCancelled.push(performance.now() - putAt);
      movedAfter.push((entry.ApproximateNumberOfMessagesMoved ?? 0) - before);
      t.sqsProxy.reset();
    }
    report.info(SECTION, `time to stop: PutEvents(ALARM) → CancelMessageMoveTask call, p50 / p99 (n=${toCall.length})`, `${ms(percentile(toCall, 50))} / ${ms(percentile(toCall, 99))}`);
    report.info(SECTION, 'time to stop: PutEvents(ALARM) → SQS shows CANCELLED, p50 / p99', `${ms(percentile(toCancelled, 50))} / ${ms(percentile(toCancelled, 99))}`);
    report.info(SECTION, `messages moved after the alarm at ${RATE}/s, p50 / max`, `${percentile(movedAfter, 50)} / ${Math.max(...movedAfter)}`);

    // resumes: every alarm OK, due resumeAfterOkSeconds (2 s) after the OK's own timestamp
    const lateness: number[] = [];
    for (const name of resumes) {
      await seedDlq(t.sqs, name, 20);
      const alarmAt = new Date();
      await alarm(events, `${name}-errors`, 'ALARM', alarmAt);
      const okAt = new Date(alarmAt.getTime() + 10);
      let startAt: number | undefined;
      t.sqsProxy.inject({ match: (call) => (call.target === 'AmazonSQS.StartMessageMoveTask' && call.body.includes(`${name}-dlq`) && (startAt ??= Date.now()), false) });
      await alarm(events, `${name}-errors`, 'OK', okAt, alarmAt);
      const due = okAt.getTime() + 2000;
      while (startAt === undefined && Date.now() - due < 20_000) await new Promise((resolve) => setTimeout(resolve, 20));
      if (startAt === undefined) throw new Error(`bench: ${name} did not resume within 20 s of its due time`);
      lateness.push(startAt - due);
    }
    report.info(SECTION, `time to resume after the quiet period (local 5 s tick), p50 / max (n=${lateness.length})`, `${ms(percentile(lateness, 50))} / ${ms(Math.max(...lateness))}`);
  } finally {
    events.destroy();
    await t.stop();
  }
}

/** The calls of one ramp step over its two ticks (cancel; start once CANCELLED), less two ticks without one. */
async function measureRampStep(report: Report): Promise<void> {
  const name = `bench-rec-${randomUUID().slice(0, 6)}-ramp`;
  const t = await startTestStack({ onLog: () => undefined, recoveryPolicies: [{ dlq: arnOf(name), alarms: [`${name}-errors`], resumeAfterOkSeconds: 0, startRate: 1, maxRate: 4, rampEverySeconds: 3, autoStart: true }] });
  try {
    await seedDlq(t.sqs, name, 200);
    await t.reconcile(); // autoStart: RECOVERING at 1/s, the ramp due in 3 s
    // the baseline: two ticks of the same stack with the run going and no step due
    const baseline = await twoTicks(t, async () => undefined, false);
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const step = await twoTicks(t, () => waitForCancelled(t, arnOf(name)), true);
    const rate = (await newest(t, arnOf(name)))?.MaxNumberOfMessagesPerSecond;
    if (rate !== 2) throw new Error(`bench: the ramp step did not start the next task at 2/s (got ${String(rate)})`);
    report.info(SECTION, 'one ramp step (two ticks): SQS calls, less two ticks without a step', `${step.sqs - baseline.sqs} (${step.sqsTargets})`);
    report.info(SECTION, 'one ramp step (two ticks): DynamoDB calls, less two ticks without a step', String(step.dynamoDb - baseline.dynamoDb));
  } finally {
    await t.stop();
  }
}

async function twoTicks(t: TestStack, between: () => Promise<unknown>, ramp: boolean): Promise<{ sqs: number; dynamoDb: number; sqsTargets: string }> {
  t.sqsProxy.reset();
  t.dynamoDbProxy.reset();
  await t.reconcile();
  await between();
  if (!ramp) await new Promise((resolve) => setTimeout(resolve, 10));
  await t.reconcile();
  const counts = new Map<string, number>();
  for (const call of t.sqsProxy.calls) counts.set(call.target.replace('AmazonSQS.', ''), (counts.get(call.target.replace('AmazonSQS.', '')) ?? 0) + 1);
  return { sqs: t.sqsProxy.calls.length, dynamoDb: t.dynamoDbProxy.calls.length, sqsTargets: [...counts].map(([target, count]) => `${target} ${count}`).join(', ') };
}

async function waitForCancelled(t: TestStack, dlqArn: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await newest(t, dlqArn))?.Status !== 'CANCELLED') {
    if (Date.now() > deadline) throw new Error('bench: the ramp step\'s cancel did not reach CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function newest(t: TestStack, dlqArn: string) {
  return (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }))).Results?.[0];
}

async function moved(t: TestStack, dlqArn: string): Promise<number> {
  return (await newest(t, dlqArn))?.ApproximateNumberOfMessagesMoved ?? 0;
}

async function alarm(events: EventBridgeClient, alarmName: string, value: 'ALARM' | 'OK', at: Date, previous?: Date): Promise<void> {
  const stamp = (date: Date) => date.toISOString().replace('Z', '+0000');
  await events.send(new PutEventsCommand({
    Entries: [{
      Source: 'aws.cloudwatch',
      DetailType: 'CloudWatch Alarm State Change',
      Resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
      Detail: JSON.stringify({ alarmName, state: { value, timestamp: stamp(at) }, ...(previous ? { previousState: { value: 'ALARM', timestamp: stamp(previous) } } : {}) }),
    }],
  }));
}
