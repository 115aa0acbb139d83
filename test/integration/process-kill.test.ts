import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

import { bundlePath } from '../../lib/lambda-bundling';
import { LambdaHost } from '../../local/lambda-host';
import { eventually, useTestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';
import { scanTable } from '../support/table-scan';

const CANCEL = 'AmazonSQS.CancelMessageMoveTask';
const START = 'AmazonSQS.StartMessageMoveTask';

function proxyEvent(httpMethod: string, path: string, body: unknown): APIGatewayProxyEvent {
  return {
    httpMethod, path, body: body === undefined ? null : JSON.stringify(body), resource: '/{proxy+}', headers: { 'content-type': 'application/json' }, multiValueHeaders: {},
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, isBase64Encoded: false,
    requestContext: { apiId: 'local', stage: 'local', requestId: randomUUID(), identity: { userArn: 'arn:aws:iam::123456789012:role/operator' } } as APIGatewayProxyEvent['requestContext'],
  };
}

/**
 * The function's process killed mid-request (a crash, or Lambda's timeout) at the worst moments:
 * nothing recorded is lost, nothing is applied twice, a fresh process serves at once, and the next
 * reconcile converges.
 */
describe('the function killed mid-request', () => {
  // grace 0: the next reconcile takes over a dead process's write at once (deployed: after the function timeout)
  const t = useTestStack({ functionEnv: { IN_FLIGHT_GRACE_SECONDS: '0' } }, { resetCallsBeforeEach: true });
  const hosts: LambdaHost[] = [];
  afterAll(async () => {
    for (const host of hosts) await host.stop();
  });

  /** A function process of its own, on the test stack's emulators and proxies, as Lambda would start one. */
  async function freshFunction(): Promise<LambdaHost> {
    const host = await LambdaHost.start({ bundle: resolve(__dirname, '../..', bundlePath('api')), env: t.stack.functionEnv, onLog: () => undefined });
    hosts.push(host);
    return host;
  }

  const invoke = (host: LambdaHost, method: string, path: string, body?: unknown) => host.invoke<APIGatewayProxyResult>(proxyEvent(method, path, body));

  async function runningTask(host: LambdaHost, prefix: string) {
    const dlq = await t.seedDlq(30, prefix);
    const started = await invoke(host, 'POST', '/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    expect(started.statusCode).toBe(200);
    const handle = JSON.parse(started.body).TaskHandle as string;
    return { dlqArn: dlq.dlqArn, handle, taskId: JSON.parse(Buffer.from(handle, 'base64').toString()).taskId as string };
  }

  /** reconciler runs until the record is final, as the schedule would */
  const settle = (host: LambdaHost, taskId: string) =>
    eventually(async () => {
      await t.reconcile();
      return JSON.parse((await invoke(host, 'GET', `/tasks/${taskId}`)).body) as Record<string, unknown>;
    }, (record) => ['CANCELLED', 'COMPLETED', 'FAILED'].includes(record.Status as string), 20_000);

  async function sqsStatus(dlqArn: string): Promise<string | undefined> {
    return (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }))).Results?.[0]?.Status;
  }

  it('killed after the claim, before SQS heard the cancel: the record stays CANCELLING, SQS untouched, no second cancel; the next reconcile settles it', async () => {
    // Prepare: hold the SQS cancel at the proxy for good; the process dies while it waits
    const doomed = await freshFunction();
    const task = await runningTask(doomed, 'crash-before-sqs');
    t.sqsProxy.inject({ match: CANCEL, holdWhile: new Promise<void>(() => undefined) });
    const pending = invoke(doomed, 'POST', '/CancelMessageMoveTask', { TaskHandle: task.handle }).then(() => 'answered', (error: Error) => error.message);
    await eventually(async () => t.sqsProxy.count(CANCEL), (count) => count === 1);
    // Act
    doomed.kill();
    const outcome = await pending;
    const fresh = await freshFunction();
    const health = await invoke(fresh, 'GET', '/health');
    const record = await invoke(fresh, 'GET', `/tasks/${task.taskId}`);
    const again = await invoke(fresh, 'POST', '/CancelMessageMoveTask', { TaskHandle: task.handle });
    // Assess
    expect(outcome).toMatch(/process exited/);
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(record.body)).toMatchObject({ taskId: task.taskId, Status: 'CANCELLING', cancelledBy: 'arn:aws:iam::123456789012:role/operator' });
    expect(again.statusCode).toBe(400);
    expect(JSON.parse(again.body).message).toMatch(/is CANCELLING/);
    expect(await sqsStatus(task.dlqArn)).toBe('RUNNING');
    expect(t.sqsProxy.count(CANCEL)).toBe(1);
    // converges: the reconciler re-issues the cancel that never reached SQS
    const settled = await settle(fresh, task.taskId);
    expect(settled).toMatchObject({ Status: 'CANCELLED', cancelledBy: 'arn:aws:iam::123456789012:role/operator' });
    expect(await sqsStatus(task.dlqArn)).toBe('CANCELLED');
    expect(t.sqsProxy.count(CANCEL)).toBe(2);
    recordFigure(__filename, { area: 'crash', scenario: 'process killed between the claim and the SQS cancel', faults: '1 SIGKILL', held: 'record kept (CANCELLING, who/when); SQS untouched; fresh process healthy; second cancel refused; next reconcile re-issues the cancel once and settles CANCELLED' });
  });

  it('killed after SQS accepted the cancel, before the answer: record and SQS agree, SQS cancelled once; the next reconcile settles it', async () => {
    // Prepare: SQS acts on the cancel, its answer never comes back
    const doomed = await freshFunction();
    const task = await runningTask(doomed, 'crash-after-sqs');
    t.sqsProxy.inject({ match: CANCEL, afterForward: true, drop: true });
    const pending = invoke(doomed, 'POST', '/CancelMessageMoveTask', { TaskHandle: task.handle }).then(() => 'answered', (error: Error) => error.message);
    await eventually(() => sqsStatus(task.dlqArn), (status) => status === 'CANCELLING' || status === 'CANCELLED');
    // Act
    doomed.kill();
    const outcome = await pending;
    const fresh = await freshFunction();
    const record = await invoke(fresh, 'GET', `/tasks/${task.taskId}`);
    const again = await invoke(fresh, 'POST', '/CancelMessageMoveTask', { TaskHandle: task.handle });
    // Assess
    expect(outcome).toMatch(/process exited/);
    expect(JSON.parse(record.body).Status).toBe('CANCELLING');
    expect(['CANCELLING', 'CANCELLED']).toContain(await sqsStatus(task.dlqArn));
    expect(again.statusCode).toBe(400);
    const settled = await settle(fresh, task.taskId);
    expect(settled.Status).toBe(await sqsStatus(task.dlqArn));
    expect(settled.Status).toBe('CANCELLED');
    expect(t.sqsProxy.count(CANCEL)).toBe(1);
    recordFigure(__filename, { area: 'crash', scenario: 'process killed after SQS accepted the cancel, before its answer', faults: '1 SIGKILL', held: 'record CANCELLING, SQS CANCELLING/CANCELLED: they agree; next reconcile settles CANCELLED; 1 SQS cancel in all' });
  });

  it('killed after SQS started a task, before the record: SQS refuses a duplicate start, the queue keeps one task, which the next reconcile adopts', async () => {
    // Prepare
    const doomed = await freshFunction();
    const dlq = await t.seedDlq(30, 'crash-start');
    t.sqsProxy.inject({ match: START, afterForward: true, drop: true });
    const pending = invoke(doomed, 'POST', '/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 }).then(() => 'answered', (error: Error) => error.message);
    await eventually(() => sqsStatus(dlq.dlqArn), (status) => status === 'RUNNING');
    // Act
    doomed.kill();
    const outcome = await pending;
    const fresh = await freshFunction();
    const retry = await invoke(fresh, 'POST', '/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    // Assess
    expect(outcome).toMatch(/process exited/);
    expect(retry.statusCode).toBe(400);
    expect(JSON.parse(retry.body).message).toMatch(/already a task running/);
    const tasks = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 10 }));
    expect(tasks.Results).toHaveLength(1);
    expect((await scanTable(t.dynamoDb, t.stack.tableName)).filter((item) => item.sourceArn?.S === dlq.dlqArn)).toHaveLength(0);
    // converges: the reconciler adopts the task SQS runs
    await t.reconcile();
    const adopted = (await scanTable(t.dynamoDb, t.stack.tableName)).filter((item) => item.sourceArn?.S === dlq.dlqArn);
    expect(adopted).toHaveLength(1);
    expect(adopted[0]).toMatchObject({ status: { S: 'RUNNING' }, origin: { S: 'adopted' }, taskHandle: { S: tasks.Results![0]!.TaskHandle } });
    recordFigure(__filename, { area: 'crash', scenario: 'process killed after SQS started a task, before the record was written', faults: '1 SIGKILL', held: 'one SQS task, a retried start refused (no duplicate); the next reconcile adopts it: 1 record' });
  });
});
