import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';

import { useTestStack } from '../support/local-stack-fixture';
import { logLinesWithMessage } from '../support/log-lines';
import { Faults, type InjectedFault, type RecordedCall } from '../support/recording-proxy';
import { recordFigure } from '../support/reliability-figures';
import { writesStatus, writesTaskRecord } from '../support/store-writes';
import { scanTable } from '../support/table-scan';

const CANCEL = 'AmazonSQS.CancelMessageMoveTask';
const START = 'AmazonSQS.StartMessageMoveTask';
const PUT = 'DynamoDB_20120810.PutItem';
const isClaim = (call: RecordedCall) => writesStatus(call, 'RUNNING', 'CANCELLING');
const isRelease = (call: RecordedCall) => writesStatus(call, 'CANCELLING', 'RUNNING');
const isCountRecord = (call: RecordedCall) => writesStatus(call, 'CANCELLING', 'CANCELLING');
// the SDK makes 3 attempts (dependencies.ts); 3 faults exhaust them. A cancel is sent once, but
// throttled cancels are repeated up to 3 times (SQS did not act): see the SQS adapter.
const ALL_ATTEMPTS = 3;
const ONE_ATTEMPT = 1;

/**
 * Faults between the function and SQS or DynamoDB, injected at the recording proxies. For each:
 * the caller hears a clear error, the record tells the truth, nothing is lost or applied twice.
 */
describe('faults during requests', () => {
  // a 1 s SDK request timeout (production: 5 s) so dropped calls time out quickly
  const t = useTestStack({ functionEnv: { CONTROLLER_SDK_REQUEST_TIMEOUT_MS: '1000' } }, { resetCallsBeforeEach: true });

  async function sqsStatus(dlqArn: string): Promise<string | undefined> {
    const listed = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }));
    return listed.Results?.[0]?.Status;
  }

  const logged = (message: string) => logLinesWithMessage(t.logs, message);

  describe('SQS failing the cancel', () => {
    it.each<[string, Omit<InjectedFault, 'match'>, number, number, string, RegExp]>([
      // a cancel that may have reached SQS is never sent twice: the controller asks SQS instead
      ['unreachable (connection reset)', Faults.reset(ONE_ATTEMPT), ONE_ATTEMPT, 503, 'ServiceUnavailable', /SQS could not be reached/],
      ['timing out (no answer within the request timeout)', Faults.drop(ONE_ATTEMPT), ONE_ATTEMPT, 503, 'ServiceUnavailable', /SQS could not be reached/],
      ['throttling (RequestThrottled on every attempt)', Faults.sqsThrottled(ALL_ATTEMPTS), ALL_ATTEMPTS, 400, 'RequestThrottled', /throttled/],
    ])('%s: the caller gets a clear error, the record stays RUNNING, a retry succeeds', async (scenario, fault, attempts, status, code, message) => {
      // Prepare
      const task = await t.runningTask('sqs-fault');
      t.sqsProxy.inject({ match: CANCEL, ...fault });
      // Act
      const failed = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle, Reason: 'first' });
      const afterFailure = await t.get(`/tasks/${task.taskId}`);
      const sqsAfterFailure = await sqsStatus(task.dlqArn);
      const retried = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle, Reason: 'retry' });
      // Assess
      expect(failed.status).toBe(status);
      expect(failed.body).toEqual({ __type: `com.amazonaws.sqs#${code}`, message: expect.stringMatching(message) });
      expect(failed.headers.get('x-amzn-query-error')).toBe(`${code};${status === 400 ? 'Sender' : 'Receiver'}`);
      expect(afterFailure.body).toMatchObject({ Status: 'RUNNING', lastCancelError: expect.stringContaining(code) });
      expect(afterFailure.body.cancelledBy).toBeUndefined();
      expect(sqsAfterFailure).toBe('RUNNING');
      expect(retried.status).toBe(200);
      expect((await t.get(`/tasks/${task.taskId}`)).body).toMatchObject({ Status: 'CANCELLING', cancelReason: 'retry' });
      expect(['CANCELLING', 'CANCELLED']).toContain(await sqsStatus(task.dlqArn));
      expect(t.sqsProxy.count(CANCEL)).toBe(attempts + 1);
      recordFigure(__filename, { area: 'faults', scenario: `SQS ${scenario} during cancel`, faults: `${t.sqsProxy.faultsApplied} SQS calls failed`, held: `caller: ${status} ${code}; record RUNNING with lastCancelError; SQS task untouched; retry 200` });
    }, 20_000);

    it.each<[string, Omit<InjectedFault, 'match'>]>([
      ['one RequestThrottled', Faults.sqsThrottled(1)],
      ['a 500 ms delay', Faults.delay(500)],
    ])('SQS %s: the controller retries or waits, the caller gets 200, SQS took one cancel', async (scenario, fault) => {
      // Prepare
      const task = await t.runningTask('sqs-blip');
      t.sqsProxy.inject({ match: CANCEL, ...fault });
      // Act
      const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      // Assess
      expect(answer.status).toBe(200);
      expect((await t.get(`/tasks/${task.taskId}`)).body).toMatchObject({ Status: 'CANCELLING' });
      expect(['CANCELLING', 'CANCELLED']).toContain(await sqsStatus(task.dlqArn));
      recordFigure(__filename, { area: 'faults', scenario: `SQS ${scenario} during cancel`, faults: `${t.sqsProxy.faultsApplied} SQS call(s)`, held: `200; ${t.sqsProxy.count(CANCEL)} SQS attempt(s), task cancelled once` });
    }, 20_000);
  });

  describe('DynamoDB failing before SQS is called', () => {
    it.each<[string, Omit<InjectedFault, 'match'>]>([
      ['ThrottlingException on every attempt', Faults.dynamoDbThrottling(ALL_ATTEMPTS)],
      ['ProvisionedThroughputExceededException on every attempt', Faults.dynamoDbThroughputExceeded(ALL_ATTEMPTS)],
      ['500 on every attempt', Faults.dynamoDbInternalError(ALL_ATTEMPTS)],
      ['timing out on every attempt', Faults.drop(ALL_ATTEMPTS)],
    ])('%s: no SQS call at all, the record stays RUNNING, a retry succeeds', async (scenario, fault) => {
      // Prepare
      const task = await t.runningTask('ddb-fault');
      t.dynamoDbProxy.inject({ match: isClaim, ...fault });
      // Act
      const failed = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      const sqsCallsAfterFailure = t.sqsProxy.count(CANCEL);
      const record = await t.get(`/tasks/${task.taskId}`);
      const retried = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      // Assess
      expect(failed.status).toBe(503);
      expect(failed.body).toEqual({ __type: 'com.amazonaws.sqs#ServiceUnavailable', message: expect.stringMatching(/task table (is unavailable|could not be reached)/) });
      expect(sqsCallsAfterFailure).toBe(0);
      expect(record.body.Status).toBe('RUNNING');
      expect(retried.status).toBe(200);
      expect(t.sqsProxy.count(CANCEL)).toBe(1);
      recordFigure(__filename, { area: 'faults', scenario: `DynamoDB ${scenario} on the cancel claim`, faults: `${t.dynamoDbProxy.faultsApplied} DynamoDB calls failed`, held: '503 ServiceUnavailable; 0 SQS calls; record RUNNING; retry 200 with 1 SQS call' });
    }, 20_000);

    it.each<[string, Omit<InjectedFault, 'match'>]>([
      ['ThrottlingException', Faults.dynamoDbThrottling(1)],
      ['ProvisionedThroughputExceededException', Faults.dynamoDbThroughputExceeded(1)],
    ])('one %s on the claim is retried by the SDK: 200 and one SQS call', async (scenario, fault) => {
      // Prepare
      const task = await t.runningTask('ddb-blip');
      t.dynamoDbProxy.inject({ match: isClaim, ...fault });
      // Act
      const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      // Assess
      expect(answer.status).toBe(200);
      expect(t.dynamoDbProxy.calls.filter(isClaim)).toHaveLength(2);
      expect(t.sqsProxy.count(CANCEL)).toBe(1);
      recordFigure(__filename, { area: 'faults', scenario: `one DynamoDB ${scenario} on the cancel claim`, faults: '1 DynamoDB call', held: '200; claim retried once; 1 SQS call' });
    });
  });

  describe('DynamoDB failing after SQS answered', () => {
    it('keeps the record CANCELLING and the caller 200 when the count cannot be written after SQS accepted the cancel', async () => {
      // Prepare
      const task = await t.runningTask('ddb-after');
      t.dynamoDbProxy.inject({ match: isCountRecord, ...Faults.reset(ALL_ATTEMPTS) });
      // Act
      const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      const again = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      // Assess
      expect(answer.status).toBe(200);
      expect((await t.get(`/tasks/${task.taskId}`)).body).toMatchObject({ Status: 'CANCELLING', cancelledBy: 'arn:aws:iam::123456789012:role/local' });
      expect(['CANCELLING', 'CANCELLED']).toContain(await sqsStatus(task.dlqArn));
      expect(again.status).toBe(400);
      expect(t.sqsProxy.count(CANCEL)).toBe(1);
      expect(logged('cancel accepted by SQS but its count was not recorded')).toEqual([expect.objectContaining({ level: 'WARN', taskId: task.taskId })]);
      recordFigure(__filename, { area: 'faults', scenario: 'DynamoDB unreachable recording the count after SQS accepted the cancel', faults: `${t.dynamoDbProxy.faultsApplied} DynamoDB calls reset`, held: '200; record CANCELLING (truthful); a second cancel is refused: 1 SQS cancel in all' });
    });

    it('leaves the claim CANCELLING (never a false RUNNING) when both SQS and the release fail, and refuses a second cancel', async () => {
      // Prepare
      const task = await t.runningTask('both-down');
      t.sqsProxy.inject({ match: CANCEL, ...Faults.sqsInternalError(ONE_ATTEMPT) });
      t.dynamoDbProxy.inject({ match: isRelease, ...Faults.reset(ALL_ATTEMPTS) });
      // Act
      const failed = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      const again = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
      // Assess
      expect(failed.status).toBe(503);
      expect((await t.get(`/tasks/${task.taskId}`)).body).toMatchObject({ Status: 'CANCELLING' });
      expect(await sqsStatus(task.dlqArn)).toBe('RUNNING');
      expect(again.status).toBe(400);
      expect(t.sqsProxy.count(CANCEL)).toBe(ONE_ATTEMPT);
      expect(logged('cancel claim left CANCELLING for the reconciler')).toEqual([expect.objectContaining({ taskId: task.taskId })]);
      recordFigure(__filename, { area: 'faults', scenario: 'SQS 500 on cancel and DynamoDB unreachable releasing the claim', faults: `${t.sqsProxy.faultsApplied + t.dynamoDbProxy.faultsApplied} calls failed`, held: '503; record CANCELLING, logged for the reconciler; no second SQS cancel' });
    });
  });

  describe('faults during start', () => {
    it('answers RequestThrottled and records nothing when SQS throttles every start attempt', async () => {
      // Prepare
      const dlq = await t.seedDlq(5, 'start-throttled');
      t.sqsProxy.inject({ match: START, ...Faults.sqsThrottled(ALL_ATTEMPTS) });
      // Act
      const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn });
      // Assess
      expect(answer.status).toBe(400);
      expect(answer.body.__type).toBe('com.amazonaws.sqs#RequestThrottled');
      expect((await scanTable(t.dynamoDb, t.stack.tableName)).filter((item) => item.sourceArn?.S === dlq.dlqArn)).toHaveLength(0);
      // the DLQ's claim taken before SQS was asked, then given back; no task record written
      expect(t.dynamoDbProxy.calls.filter(writesTaskRecord)).toEqual([]);
      expect(t.dynamoDbProxy.count(PUT)).toBe(2);
      expect(await sqsStatus(dlq.dlqArn)).toBeUndefined();
      recordFigure(__filename, { area: 'faults', scenario: 'SQS RequestThrottled on every start attempt', faults: `${t.sqsProxy.faultsApplied} SQS calls`, held: '400 RequestThrottled; no record (the claim on the DLQ taken, then given back), no SQS task' });
    });

    it('answers the handle SQS gave and logs who started it when the record cannot be written', async () => {
      // Prepare
      const dlq = await t.seedDlq(5, 'start-unrecorded');
      t.dynamoDbProxy.inject({ match: writesTaskRecord, ...Faults.dynamoDbInternalError(ALL_ATTEMPTS) });
      // Act
      const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'unrecorded start' });
      // Assess: SQS runs the task, so a failure answer would invite a retry SQS refuses
      expect(answer.status).toBe(200);
      const taskId = JSON.parse(Buffer.from(answer.body.TaskHandle, 'base64').toString()).taskId as string;
      expect(await sqsStatus(dlq.dlqArn)).toBe('RUNNING');
      expect(logged('task started but not recorded')).toContainEqual(expect.objectContaining({ taskId, startReason: 'unrecorded start', startedBy: 'arn:aws:iam::123456789012:role/local' }));
      recordFigure(__filename, { area: 'faults', scenario: 'DynamoDB 500 writing the record after SQS started the task', faults: `${t.dynamoDbProxy.faultsApplied} DynamoDB calls`, held: '200 with the handle; who/why kept in an ERROR log line (the reconciler adopts the task)' });
    });
  });
});
