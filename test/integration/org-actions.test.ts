import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';

const [ACCOUNT_1, ACCOUNT_2] = LOCAL_ORG_ACCOUNTS;
const CANCEL = 'AmazonSQS.CancelMessageMoveTask';

describe('actions through the org view (POST /org/<Action>)', () => {
  const t = useTestOrg();
  const dlqs: Record<string, string> = {};

  beforeAll(async () => {
    for (const account of LOCAL_ORG_ACCOUNTS) dlqs[account] = (await t.seedDlq(account, `act-${account.slice(0, 1)}`, 30)).dlqArn;
  });

  it("starts a redrive in the account the ARN names, through that account's API, recording who asked via the org", async () => {
    // Act
    const started = await t.org$('/org/StartMessageMoveTask', { body: { SourceArn: dlqs[ACCOUNT_2], MaxNumberOfMessagesPerSecond: 1, Reason: 'through the org' } });
    const listed = await t.org$('/org/ListMessageMoveTasks', { body: { SourceArn: dlqs[ACCOUNT_2] } });
    const record = await t.account$(ACCOUNT_2, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_2]!)}`);

    // Assess
    expect(started.status).toBe(200);
    expect(listed.body.Results[0]).toMatchObject({ TaskHandle: started.body.TaskHandle, Status: 'RUNNING' });
    expect(record.body.tasks[0]).toMatchObject({ startedBy: 'arn:aws:iam::999999999999:role/local via org', startReason: 'through the org', origin: 'api' });
  });

  it('trusts the org caller header only from the org role: a direct caller sending it is recorded as itself', async () => {
    // Act
    const started = await t.account$(ACCOUNT_1, '/StartMessageMoveTask', { body: { SourceArn: dlqs[ACCOUNT_1], MaxNumberOfMessagesPerSecond: 1 }, headers: { 'x-redrive-org-caller': 'someone-else' } });
    const record = await t.account$(ACCOUNT_1, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_1]!)}`);

    // Assess
    expect(started.status).toBe(200);
    expect(record.body.tasks[0].startedBy).toBe('arn:aws:iam::111111111111:role/local');
  });

  it("sends a cancel of account 2's task to account 2 exactly once under 50 concurrent org cancels, and leaves account 1 untouched", async () => {
    // Prepare
    const handle = (await t.org$('/org/ListMessageMoveTasks', { body: { SourceArn: dlqs[ACCOUNT_2] } })).body.Results[0].TaskHandle;
    for (const proxy of Object.values(t.sqsProxies)) proxy.reset();

    // Act
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.org$('/org/CancelMessageMoveTask', { body: { TaskHandle: handle, Reason: 'org race' } })));

    // Assess
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    // each refusal as the account gave it, its Query-style error code included
    expect(answers.filter((answer) => answer.status !== 200).every((answer) => answer.status === 400 && /com\.amazonaws\.sqs#/.test(answer.body.__type) && /;Sender$/.test(answer.headers['x-amzn-query-error'] ?? ''))).toBe(true);
    expect(t.sqsProxies[ACCOUNT_2]!.calls.filter((call) => call.target === CANCEL)).toHaveLength(1);
    expect(t.sqsProxies[ACCOUNT_1]!.calls.filter((call) => call.target === CANCEL)).toHaveLength(0);
    const record = await t.account$(ACCOUNT_2, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_2]!)}`);
    expect(record.body.tasks[0]).toMatchObject({ cancelledBy: 'arn:aws:iam::999999999999:role/local via org', cancelReason: 'org race' });
    const untouched = await t.account$(ACCOUNT_1, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_1]!)}`);
    expect(untouched.body.tasks[0].Status).toBe('RUNNING');
  });

  it('refuses bad input itself, in the API error format, without calling any account', async () => {
    // Prepare
    for (const proxy of Object.values(t.sqsProxies)) proxy.reset();

    // Act
    const noHandle = await t.org$('/org/CancelMessageMoveTask', { body: {} });
    const foreign = await t.org$('/org/StartMessageMoveTask', { body: { SourceArn: 'arn:aws:sqs:us-east-1:333333333333:elsewhere' } });
    const unknown = await t.org$('/org/PurgeQueue', { body: {} });

    // Assess
    expect([noHandle.status, noHandle.body.__type]).toEqual([400, 'com.amazonaws.sqs#MissingParameter']);
    expect([foreign.status, foreign.body.__type]).toEqual([400, 'com.amazonaws.sqs#UnsupportedOperation']);
    expect(foreign.body.message).toMatch(/333333333333/);
    expect([unknown.status, unknown.body.__type]).toEqual([400, 'com.amazonaws.sqs#InvalidAction']);
    expect(Object.values(t.sqsProxies).flatMap((proxy) => proxy.calls)).toEqual([]);
  });

  it("answers 503 naming an account whose API is down, while the other account's actions work", async () => {
    // Prepare: account 1's API function dies (its gateway answers 502, as API Gateway does)
    await t.org.accounts[ACCOUNT_1]!.api.stop();

    // Act
    const down = await t.org$('/org/ListMessageMoveTasks', { body: { SourceArn: dlqs[ACCOUNT_1] } });
    const other = await t.org$('/org/ListMessageMoveTasks', { body: { SourceArn: dlqs[ACCOUNT_2] } });

    // Assess
    expect(down.status).toBe(503);
    expect(down.body.__type).toBe('com.amazonaws.sqs#ServiceUnavailable');
    expect(down.body.message).toMatch(/Account 111111111111's API/);
    expect(other.status).toBe(200);
  });
});
