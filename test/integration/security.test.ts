import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';

import { encodeTaskHandle } from '../../lambda/domain/task-handle';
import { bundlePath } from '../../lib/lambda-bundling';
import { useTestStack } from '../support/local-stack-fixture';
import { FAULT_MARKER, Faults } from '../support/recording-proxy';
import { recordFigure } from '../support/reliability-figures';
import { writesTaskRecord } from '../support/store-writes';

// distinctive fake credentials, so a leak into the logs can be found by grep (nothing accepts them)
const FAKE_ACCESS_KEY_ID = 'AKIAFAKEREDRIVE0TEST';
const FAKE_SECRET = 'fake-secret-6f1c9b2e-do-not-log';
const FAKE_SESSION_TOKEN = 'fake-session-token-b71d05aa-do-not-log';
const OTHER_ACCOUNT = '444455556666';

const jsonTarget = (action: string) => ({ 'x-amz-target': `AmazonSQS.${action}`, 'content-type': 'application/x-amz-json-1.0' });

describe('security', () => {
  const t = useTestStack(
    {
      // the functions sign with the fake keys below, which name no synthesized role: what is checked
      // here is what reaches SQS, the table and the logs, not IAM (policy enforcement has its own tests)
      enforce: false,
      functionEnv: {
        // only queues named managed-* are this deployment's
        MANAGED_QUEUES: 'arn:aws:sqs:us-east-1:123456789012:managed-*',
        ALLOWED_DESTINATIONS: 'arn:aws:sqs:us-east-1:123456789012:managed-*',
        AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
        AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
      },
    },
    { resetCallsBeforeEach: true },
  );

  const query = (params: Record<string, string>) =>
    t.post('/', new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded' });

  it('never lets a handle or ARN naming another account or an unmanaged queue reach SQS or write the table', async () => {
    // Prepare: a real RUNNING task on an unmanaged queue, started behind the controller's back
    const unmanaged = await t.seedDlq(10, 'unmanaged');
    const managed = await t.seedDlq(10, 'managed');
    const realForeignHandle = (await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: unmanaged.dlqArn, MaxNumberOfMessagesPerSecond: 1 }))).TaskHandle!;
    const otherAccountArn = `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:managed-dlq`;
    const otherAccountHandle = encodeTaskHandle('7f8c6a8e-2b43-4c2b-9d07-0a4f3c1e5b6d', otherAccountArn);
    t.sqsProxy.reset();
    t.dynamoDbProxy.reset();
    // Act
    const answers = [
      ['cancel, unmanaged queue, path', await t.post('/CancelMessageMoveTask', { TaskHandle: realForeignHandle }), 'UnsupportedOperation'],
      ['cancel, unmanaged queue, JSON', await t.post('/', { TaskHandle: realForeignHandle }, jsonTarget('CancelMessageMoveTask')), 'UnsupportedOperation'],
      ['cancel, unmanaged queue, Query', await query({ Action: 'CancelMessageMoveTask', TaskHandle: realForeignHandle }), 'AWS.SimpleQueueService.UnsupportedOperation'],
      ['cancel, other account, path', await t.post('/CancelMessageMoveTask', { TaskHandle: otherAccountHandle }), 'InvalidAddress'],
      ['cancel, other account, Query', await query({ Action: 'CancelMessageMoveTask', TaskHandle: otherAccountHandle }), 'InvalidAddress'],
      ['start, unmanaged queue', await t.post('/StartMessageMoveTask', { SourceArn: unmanaged.dlqArn }), 'UnsupportedOperation'],
      ['start, other account', await t.post('/', { SourceArn: otherAccountArn }, jsonTarget('StartMessageMoveTask')), 'InvalidAddress'],
      ['start, destination unmanaged', await t.post('/StartMessageMoveTask', { SourceArn: managed.dlqArn, DestinationArn: unmanaged.sourceQueueArn }), 'UnsupportedOperation'],
      ['start, destination other account', await query({ Action: 'StartMessageMoveTask', SourceArn: managed.dlqArn, DestinationArn: otherAccountArn }), 'InvalidAddress'],
      ['list, unmanaged queue', await t.post('/ListMessageMoveTasks', { SourceArn: unmanaged.dlqArn }), 'UnsupportedOperation'],
      ['list, other account', await query({ Action: 'ListMessageMoveTasks', SourceArn: otherAccountArn }), 'InvalidAddress'],
    ] as const;
    // Assess
    for (const [name, answer, code] of answers) {
      expect({ name, status: answer.status }).toEqual({ name, status: 400 });
      if (answer.body) expect(answer.body.__type).toBe(`com.amazonaws.sqs#${code.replace('AWS.SimpleQueueService.', '')}`);
      else expect(answer.text).toContain(`<Code>${code}</Code>`);
    }
    expect(t.sqsProxy.calls).toEqual([]);
    expect(t.dynamoDbProxy.calls.filter((call) => !call.target.endsWith('GetItem') && !call.target.endsWith('Query'))).toEqual([]);
    recordFigure(__filename, { area: 'security', scenario: 'handles and ARNs naming another account or an unmanaged queue, in all three styles (incl. a real handle of a task SQS runs on an unmanaged queue)', cases: answers.length, held: '400 InvalidAddress / UnsupportedOperation; 0 SQS calls; 0 table writes' });
  });

  it('stores Reason verbatim and logs it as one JSON line: no log injection through newlines or control characters', async () => {
    // Prepare
    const startReason = 'line one\n{"level":"ERROR","message":"forged"}\r\nend\u0000\u001b[31m\u2028tab\there "quoted" \\ <xml/>';
    const cancelReason = '\n\n{"level":"INFO","message":"request","statusCode":200}\n';
    const dlq = await t.seedDlq(10, 'managed-reason');
    const failingDlq = await t.seedDlq(10, 'managed-reason-fail');
    const firstLog = t.logs.length;
    // Act: also through the error path, where the Reason goes into an ERROR line
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: startReason });
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId as string;
    const cancelled = await query({ Action: 'CancelMessageMoveTask', TaskHandle: started.body.TaskHandle, Reason: cancelReason });
    t.dynamoDbProxy.inject({ match: writesTaskRecord, ...Faults.dynamoDbInternalError(3) });
    const unrecorded = await t.post('/StartMessageMoveTask', { SourceArn: failingDlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: startReason });
    const record = await t.get(`/tasks/${taskId}`);
    // Assess
    expect([started.status, cancelled.status, unrecorded.status]).toEqual([200, 200, 200]);
    expect(record.body).toMatchObject({ startReason, cancelReason });
    const lines = t.logs.slice(firstLog);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.filter((line) => line.message === 'forged')).toEqual([]);
    expect(parsed.filter((line) => line.message === 'request')).toHaveLength(4);
    expect(parsed.find((line) => line.message === 'task started but not recorded')).toMatchObject({ level: 'ERROR', startReason });
    recordFigure(__filename, { area: 'security', scenario: 'Reason with newlines, CR, NUL, ESC, U+2028, quotes and forged JSON log lines', cases: 3, held: 'stored verbatim; every log line parses as one JSON object; no forged line' });
  });

  it('never logs credentials, and never a full task handle at INFO', async () => {
    // Prepare: successes, refusals and the controller's own faults (whose errors are logged)
    const dlq = await t.seedDlq(10, 'managed-logs');
    const firstLog = t.logs.length;
    // Act
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    await t.post('/ListMessageMoveTasks', { SourceArn: dlq.dlqArn, MaxResults: 10 });
    // the cancel's claim (a conditional PutItem to CANCELLING) cannot reach the table
    t.dynamoDbProxy.inject({ match: (call) => call.target === 'DynamoDB_20120810.PutItem' && call.body.includes('"CANCELLING"'), ...Faults.reset(3) });
    const failed = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle });
    const cancelled = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle });
    await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle });
    await t.get('/tasks');
    // Assess
    expect([started.status, failed.status, cancelled.status]).toEqual([200, 503, 200]);
    const lines = t.logs.slice(firstLog);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of t.logs) {
      expect(line).not.toContain(FAKE_SECRET);
      expect(line).not.toContain(FAKE_SESSION_TOKEN);
      expect(line).not.toContain(FAKE_ACCESS_KEY_ID);
    }
    const info = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 'INFO');
    expect(info.length).toBeGreaterThanOrEqual(5);
    for (const line of info) expect(JSON.stringify(line)).not.toContain(started.body.TaskHandle);
    expect(lines.some((line) => line.includes('"level":"ERROR"') && line.includes('ServiceUnavailable'))).toBe(true);
    recordFigure(__filename, { area: 'security', scenario: 'log contents across success, refusal and 503 paths, with distinctive fake credentials', cases: lines.length, held: 'no access key id, secret or session token in any line; no full task handle at INFO' });
  });

  it('ships no test fault-injection code in the Lambda bundle', () => {
    // Prepare
    const bundle = readFileSync(resolve(__dirname, '../..', bundlePath('api')), 'utf8');
    // Act
    const leaks = [FAULT_MARKER, 'fast-check', 'recording-proxy', 'startRecordingProxy'].filter((marker) => bundle.includes(marker));
    // Assess
    expect(bundle.length).toBeGreaterThan(100_000);
    expect(leaks).toEqual([]);
  });
});
