import { randomUUID } from 'node:crypto';

import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CancelMessageMoveTaskCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';

import { CANCEL_DETAIL_TYPE, CONTROLLER_EVENT_BUS } from '../../lambda/config/event-patterns';
import type { RecoveryRecord } from '../../lambda/domain/recovery/recovery-state';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { seedDlq } from '../../local/seed-dlq';
import { eventually, useTestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';

// every DLQ of this file has its own policy and alarm; the policies are fixed when the stack starts
const suffix = randomUUID().slice(0, 8);
const ACCOUNT = '123456789012';
const dlqOf = (name: string) => ({ name: `rec-${name}-${suffix}`, arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:rec-${name}-${suffix}-dlq`, alarm: `rec-${name}-${suffix}-errors` });
const LOOP = dlqOf('loop');
const HOLD = dlqOf('hold');
const FLAP = dlqOf('flap');
const ORDER = dlqOf('order');
const CRASH = dlqOf('crash');
const AUTO = dlqOf('auto');
const EMPTY = dlqOf('empty');
const CLI = dlqOf('cli');
const EVENT = dlqOf('event');
const policy = (dlq: ReturnType<typeof dlqOf>, extra: Record<string, unknown> = {}) => ({ dlq: dlq.arn, alarms: [dlq.alarm], resumeAfterOkSeconds: 1, startRate: 1, maxRate: 4, rampEverySeconds: 2, ...extra });

describe('recovery: pause on alarm, resume when healthy, ramp the rate', () => {
  const t = useTestStack({
    recoveryPolicies: [
      policy(LOOP),
      policy(HOLD, { rampEverySeconds: 3600 }),
      policy(FLAP, { resumeAfterOkSeconds: 0, maxResumesPerHour: 2, rampEverySeconds: 3600 }),
      policy(ORDER, { resumeAfterOkSeconds: 2 }),
      policy(CRASH, { rampEverySeconds: 3600 }),
      policy(AUTO, { autoStart: true, rampEverySeconds: 3600 }),
      policy(EMPTY, { autoStart: true }),
      policy(CLI),
      policy(EVENT),
    ],
  });
  let events: EventBridgeClient;
  beforeAll(async () => {
    events = new EventBridgeClient({ endpoint: t.stack.eventsUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(() => events.destroy());

  /** an alarm's state change on the default bus, as CloudWatch sends it; `at` is the state's own timestamp */
  async function alarm(dlq: ReturnType<typeof dlqOf>, value: 'ALARM' | 'OK', at: Date, previous?: { value: 'ALARM' | 'OK'; at: Date }): Promise<void> {
    const output = await events.send(new PutEventsCommand({
      Entries: [{
        Source: 'aws.cloudwatch',
        DetailType: 'CloudWatch Alarm State Change',
        Resources: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${dlq.alarm}`],
        Detail: JSON.stringify({
          alarmName: dlq.alarm,
          state: { value, reason: `test: ${value}`, timestamp: at.toISOString().replace('Z', '+0000') },
          ...(previous ? { previousState: { value: previous.value, timestamp: previous.at.toISOString().replace('Z', '+0000') } } : {}),
        }),
      }],
    }));
    expect(output.FailedEntryCount).toBe(0);
    await t.stack.eventBus.idle();
  }

  /** the DLQ's Recovery as GET /dlqs shows it */
  async function recoveryOf(dlq: ReturnType<typeof dlqOf>): Promise<Record<string, any>> {
    const listed = await t.get(`/dlqs?prefix=${encodeURIComponent(dlq.name)}`);
    expect(listed.status).toBe(200);
    const entry = listed.body.dlqs.find((candidate: { QueueArn: string }) => candidate.QueueArn === dlq.arn);
    expect(entry?.Recovery).toBeDefined();
    return entry.Recovery;
  }

  /** scheduled ticks (one reconciler run each) until the DLQ's recovery satisfies `accept` */
  async function tickUntil(dlq: ReturnType<typeof dlqOf>, accept: (recovery: Record<string, any>) => boolean, timeoutMs = 30_000): Promise<Record<string, any>> {
    return eventually(async () => {
      await t.reconcile();
      await new Promise((resolve) => setTimeout(resolve, 150));
      return recoveryOf(dlq);
    }, accept, timeoutMs);
  }

  const stateChanges = (dlq: ReturnType<typeof dlqOf>) =>
    t.stack.eventBus.events.filter((event) => event['detail-type'] === 'Redrive Recovery State Changed' && (event.detail as { QueueArn: string }).QueueArn === dlq.arn).map((event) => event.detail as Record<string, string>);

  async function tasksOf(query: string): Promise<Array<Record<string, any>>> {
    const listed = await t.get(`/tasks?${query}`);
    expect(listed.status).toBe(200);
    return listed.body.tasks;
  }

  async function depth(queueUrl: string): Promise<number> {
    const output = await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(output.Attributes!.ApproximateNumberOfMessages) + Number(output.Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  const seeded: Record<string, Awaited<ReturnType<typeof seedDlq>>> = {};
  beforeAll(async () => {
    for (const [dlq, count] of [[LOOP, 16], [HOLD, 30], [FLAP, 200], [ORDER, 30], [CRASH, 100], [AUTO, 30], [EMPTY, 0], [CLI, 5], [EVENT, 30]] as const) {
      seeded[dlq.name] = await seedDlq(t.sqs, dlq.name, count);
    }
    await t.stack.refreshInventory();
  });

  it('runs the whole loop: ALARM → PAUSED (the redrive cancelled) → OK → RECOVERING → ramp → COMPLETED → IDLE, nothing lost', async () => {
    // Prepare: a person's redrive runs when the consumer's alarm fires
    const started = await t.post('/StartMessageMoveTask', { SourceArn: LOOP.arn, MaxNumberOfMessagesPerSecond: 1, Reason: 'incident cleanup' });
    expect(started.status).toBe(200);
    const alarmAt = new Date();

    // Act: ALARM
    await alarm(LOOP, 'ALARM', alarmAt);

    // Assess: paused, and the person's redrive cancelled by the breaker
    expect(await recoveryOf(LOOP)).toMatchObject({ State: 'PAUSED' });
    const [cancelled] = await tasksOf(`sourceArn=${encodeURIComponent(LOOP.arn)}`);
    expect(cancelled).toMatchObject({ Status: expect.stringMatching(/CANCELLING|CANCELLED/), cancelReason: expect.stringContaining(`alarm ${LOOP.alarm} went to ALARM`) });

    // Act: OK; the ticks resume after resumeAfterOkSeconds and ramp 1 → 2 → 4
    await alarm(LOOP, 'OK', new Date(alarmAt.getTime() + 1000), { value: 'ALARM', at: alarmAt });
    const recovering = await tickUntil(LOOP, (recovery) => recovery.State === 'RECOVERING' && recovery.CurrentRate === 1);
    expect(recovering.RunId).toEqual(expect.any(String));
    await tickUntil(LOOP, (recovery) => recovery.State === 'IDLE');

    // Assess: one run, its tasks at rising rates, all of recovery's; every message moved once
    const run = await tasksOf(`runId=${recovering.RunId}`);
    expect(run.map((task) => task.MaxNumberOfMessagesPerSecond).reverse()).toEqual([1, 2, 4].slice(0, run.length));
    expect(run.length).toBeGreaterThanOrEqual(2);
    expect(run.every((task) => task.origin === 'recovery' && task.RunId === recovering.RunId)).toBe(true);
    expect(run[0]).toMatchObject({ Status: 'COMPLETED' });
    expect(await depth(seeded[LOOP.name]!.dlqUrl)).toBe(0);
    expect(await depth(seeded[LOOP.name]!.sourceQueueUrl)).toBe(16);
    expect(stateChanges(LOOP).map((change) => `${change.From}→${change.To}`)).toEqual(['IDLE→PAUSED', 'PAUSED→RECOVERING', 'RECOVERING→IDLE']);
    expect(stateChanges(LOOP)[2]).toMatchObject({ RunId: recovering.RunId });
  });

  it('refuses a person\'s start while PAUSED naming the alarm, unless Force; a person\'s cancel holds; release resumes', async () => {
    // Prepare
    const alarmAt = new Date();
    await alarm(HOLD, 'ALARM', alarmAt);

    // Act / Assess: refused, naming the alarm; forced, recorded
    const refused = await t.post('/StartMessageMoveTask', { SourceArn: HOLD.arn, Reason: 'try anyway' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(`alarm ${HOLD.alarm} is in ALARM`);
    const forced = await t.post('/StartMessageMoveTask', { SourceArn: HOLD.arn, MaxNumberOfMessagesPerSecond: 1, Reason: 'I know', Force: true });
    expect(forced.status).toBe(200);
    const [forcedTask] = await tasksOf(`sourceArn=${encodeURIComponent(HOLD.arn)}`);
    expect(forcedTask).toMatchObject({ Force: true, origin: 'api' });

    // Act: the person cancels; the alarm goes OK; ticks pass
    expect((await t.post('/CancelMessageMoveTask', { TaskHandle: forced.body.TaskHandle, Reason: 'wrong queue' })).status).toBe(200);
    await alarm(HOLD, 'OK', new Date(alarmAt.getTime() + 1000), { value: 'ALARM', at: alarmAt });
    for (let tick = 0; tick < 3; tick += 1) await t.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await t.reconcile();

    // Assess: held, nothing started
    const held = await recoveryOf(HOLD);
    expect(held).toMatchObject({ State: 'HELD', Reason: expect.stringContaining('wrong queue') });
    expect((await tasksOf(`sourceArn=${encodeURIComponent(HOLD.arn)}`)).filter((task) => task.origin === 'recovery')).toEqual([]);

    // Act: release (a reason is required)
    expect((await t.post(`/dlqs/${HOLD.name}-dlq/recovery`, { Action: 'release' })).status).toBe(400);
    const released = await t.post(`/dlqs/${HOLD.name}-dlq/recovery`, { Action: 'release', Reason: 'consumer fixed' });
    expect(released.status).toBe(200);
    expect(released.body.Recovery).toMatchObject({ State: 'PAUSED', Reason: expect.stringContaining('consumer fixed') });
    const resumed = await tickUntil(HOLD, (recovery) => recovery.State === 'RECOVERING');

    // Assess: resumed at startRate; hold by hand stops automation
    expect(resumed).toMatchObject({ CurrentRate: 1 });
    const holding = await t.post(`/dlqs/${HOLD.name}-dlq/recovery`, { Action: 'hold', Reason: 'end of test' });
    expect(holding.body.Recovery).toMatchObject({ State: 'HELD' });
    expect(stateChanges(HOLD).map((change) => change.To)).toEqual(['PAUSED', 'HELD', 'PAUSED', 'RECOVERING', 'HELD']);
  });

  it('holds a flapping alarm after maxResumesPerHour resumes, and says so in the event', async () => {
    // Prepare
    let at = Date.now();

    // Act: three trips and recoveries
    for (let trip = 0; trip < 3; trip += 1) {
      await alarm(FLAP, 'ALARM', new Date((at += 1000)));
      await alarm(FLAP, 'OK', new Date((at += 1000)));
      await tickUntil(FLAP, (recovery) => recovery.State === 'RECOVERING' || recovery.State === 'HELD');
    }

    // Assess
    const held = await recoveryOf(FLAP);
    expect(held).toMatchObject({ State: 'HELD', Reason: expect.stringContaining('maxResumesPerHour 2') });
    expect(stateChanges(FLAP).at(-1)).toMatchObject({ From: 'PAUSED', To: 'HELD' });
    expect((await tasksOf(`sourceArn=${encodeURIComponent(FLAP.arn)}`)).filter((task) => task.origin === 'recovery')).toHaveLength(2);
  });

  it('decides by the alarm\'s state timestamp: an older OK after a newer ALARM, and repeats, change nothing', async () => {
    // Prepare
    const t0 = Date.now();
    const [first, ok, second] = [new Date(t0), new Date(t0 + 1000), new Date(t0 + 2000)];

    // Act: the newer ALARM arrives first, then the older OK (leaving the first ALARM), then repeats of both
    await alarm(ORDER, 'ALARM', second, { value: 'OK', at: ok });
    await alarm(ORDER, 'OK', ok, { value: 'ALARM', at: first });
    await alarm(ORDER, 'ALARM', second, { value: 'OK', at: ok });
    await alarm(ORDER, 'OK', ok, { value: 'ALARM', at: first });
    for (let tick = 0; tick < 3; tick += 1) await t.reconcile();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await t.reconcile();

    // Assess: still PAUSED (the alarm fires), one change only, nothing started
    expect(await recoveryOf(ORDER)).toMatchObject({ State: 'PAUSED', Reason: expect.stringContaining(second.toISOString()) });
    expect(stateChanges(ORDER).map((change) => change.To)).toEqual(['PAUSED']);
    expect(await tasksOf(`sourceArn=${encodeURIComponent(ORDER.arn)}`)).toEqual([]);

    // Act: the OK that really follows the ALARM
    await alarm(ORDER, 'OK', new Date(t0 + 3000), { value: 'ALARM', at: second });

    // Assess
    expect(await tickUntil(ORDER, (recovery) => recovery.State === 'RECOVERING')).toMatchObject({ CurrentRate: 1 });
  });

  it('finishes a ramp step a crash left between its cancel and its restart', async () => {
    // Prepare: a run at 1 message/s
    const alarmAt = new Date();
    await alarm(CRASH, 'ALARM', alarmAt);
    await alarm(CRASH, 'OK', new Date(alarmAt.getTime() + 1000), { value: 'ALARM', at: alarmAt });
    const running = await tickUntil(CRASH, (recovery) => recovery.State === 'RECOVERING' && recovery.CurrentRate === 1);
    const [task] = await tasksOf(`runId=${running.RunId}`);

    // Act: the crash, simulated: the step is recorded and SQS cancelled the task, but nothing restarted
    const stored = JSON.parse((await t.dynamoDb.send(new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({ TableName: t.stack.tableName, Key: { taskId: { S: `recovery#${CRASH.arn}` } }, ConsistentRead: true }))).Item!.recovery!.S!) as RecoveryRecord;
    const crashed: RecoveryRecord = { ...stored, step: { kind: 'replace', taskId: task!.taskId, rate: 2, at: new Date().toISOString(), cancelRequestedAt: new Date().toISOString() }, nextActionAt: undefined, version: stored.version + 1 };
    await t.dynamoDb.send(new PutItemCommand({ TableName: t.stack.tableName, Item: { taskId: { S: `recovery#${CRASH.arn}` }, recovery: { S: JSON.stringify(crashed) }, version: { N: String(crashed.version) } } }));
    await t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: task!.TaskHandle }));

    // Assess: the next ticks start the run's next task at the new rate, same run
    const finished = await tickUntil(CRASH, (recovery) => recovery.CurrentRate === 2);
    expect(finished).toMatchObject({ State: 'RECOVERING', RunId: running.RunId });
    const run = await tasksOf(`runId=${running.RunId}`);
    expect(run.map((entry) => [entry.MaxNumberOfMessagesPerSecond, entry.Status])).toEqual([[2, 'RUNNING'], [1, 'CANCELLED']]);
    await t.post(`/dlqs/${CRASH.name}-dlq/recovery`, { Action: 'hold', Reason: 'end of test' });
  });

  it('autoStarts a non-empty healthy DLQ and never an empty one', async () => {
    // Act: the ticks of this file's other tests ran for every policy; a few more
    await tickUntil(AUTO, () => stateChanges(AUTO).some((change) => change.To === 'RECOVERING'));
    for (let tick = 0; tick < 3; tick += 1) await t.reconcile();

    // Assess: the non-empty DLQ was started by recovery (its run may have finished since); the empty one never
    const [start] = stateChanges(AUTO);
    expect(start).toMatchObject({ From: 'IDLE', To: 'RECOVERING', Reason: expect.stringContaining('autoStart: 30 messages') });
    expect(await tasksOf(`runId=${start!.RunId}`)).toEqual([expect.objectContaining({ origin: 'recovery', MaxNumberOfMessagesPerSecond: 1 })]);
    expect(await recoveryOf(EMPTY)).toMatchObject({ State: 'IDLE' });
    expect(stateChanges(EMPTY)).toEqual([]);
    expect(await tasksOf(`sourceArn=${encodeURIComponent(EMPTY.arn)}`)).toEqual([]);
  });

  it('holds and releases from the CLI, which shows the state in `redrive dlqs`', async () => {
    // Prepare
    const env = { REDRIVE_API_URL: t.stack.apiUrl };
    const name = `${CLI.name}-dlq`;

    // Act
    const missingReason = await runCli(['hold', name], env);
    const held = await runCli(['hold', name, '--reason', 'deploy in progress'], env);
    const listed = await runCli(['dlqs', '--prefix', CLI.name], env);
    const released = await runCli(['release', CLI.arn, '--reason', 'deploy done'], env);
    const again = await runCli(['release', name, '--reason', 'twice'], env);

    // Assess
    expect(missingReason).toMatchObject({ code: 2, stderr: expect.stringContaining('missing --reason') });
    expect(held).toMatchObject({ code: 0, stdout: expect.stringContaining(`${name}: recovery HELD since`) });
    expect(held.stdout).toContain('deploy in progress');
    expect(listed.stdout).toMatch(new RegExp(`^${name}\\s.*\\sHELD$`, 'm'));
    expect(released).toMatchObject({ code: 0, stdout: expect.stringContaining('recovery PAUSED') });
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('not HELD') });
  });

  it('holds a DLQ whose redrive a person\'s tooling cancelled with a Cancel Message Move Task event', async () => {
    // Prepare: a run at startRate
    const alarmAt = new Date();
    await alarm(EVENT, 'ALARM', alarmAt);
    await alarm(EVENT, 'OK', new Date(alarmAt.getTime() + 1000), { value: 'ALARM', at: alarmAt });
    await tickUntil(EVENT, (recovery) => recovery.State === 'RECOVERING' && recovery.CurrentRate === 1);

    // Act
    const output = await events.send(new PutEventsCommand({ Entries: [{ Source: 'com.example.runbook', EventBusName: CONTROLLER_EVENT_BUS, DetailType: CANCEL_DETAIL_TYPE, Detail: JSON.stringify({ SourceArn: EVENT.arn, Reason: 'incident 7' }) }] }));
    expect(output.FailedEntryCount).toBe(0);
    await t.stack.eventBus.idle();

    // Assess
    expect(await recoveryOf(EVENT)).toMatchObject({ State: 'HELD', Reason: expect.stringContaining('incident 7') });
    expect(stateChanges(EVENT).at(-1)).toMatchObject({ From: 'RECOVERING', To: 'HELD' });
  });
});
