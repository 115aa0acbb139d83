import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

import { CANCEL_DETAIL_TYPE, CONTROLLER_EVENT_BUS, type RuleDelivery } from '../../lambda/config/event-patterns';
import { LOCAL_CANCEL_RULE } from '../../local/local-stack';
import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { logLinesWithMessage } from '../support/log-lines';
import { recordFigure } from '../support/reliability-figures';

// the local bus knows callers by their access key ids, as the deployed bus policy knows principals
const PIPELINE = 'arn:aws:iam::123456789012:role/deploy-pipeline';
const RUNBOOK = 'arn:aws:iam::210987654321:role/incident-runbook';
const INTRUDER = 'arn:aws:iam::123456789012:role/some-app';
const KEYS = { pipeline: 'AKIDPIPELINE', runbook: 'AKIDRUNBOOK', intruder: 'AKIDINTRUDER' } as const;

describe('who may cancel a redrive with an event', () => {
  let t: TestStack;
  const clients: EventBridgeClient[] = [];
  beforeAll(async () => {
    t = await startTestStack({
      eventSenders: {
        allowedSenders: [PIPELINE, RUNBOOK],
        identities: { [KEYS.pipeline]: PIPELINE, [KEYS.runbook]: RUNBOOK, [KEYS.intruder]: INTRUDER },
      },
    });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await t.stop();
  });

  const sender = (accessKeyId: string) => {
    const client = new EventBridgeClient({ endpoint: t.stack.eventsUrl, region: t.stack.region, credentials: { accessKeyId, secretAccessKey: 'local' } });
    clients.push(client);
    return client;
  };
  const cancelEvent = (handle: string, source: string, bus = CONTROLLER_EVENT_BUS): PutEventsRequestEntry => ({
    EventBusName: bus,
    Source: source,
    DetailType: CANCEL_DETAIL_TYPE,
    Detail: JSON.stringify({ TaskHandle: handle, Reason: `cancel from ${source}` }),
  });
  const cancelCalls = (handle: string) => t.sqsProxy.calls.filter((call) => call.target === 'AmazonSQS.CancelMessageMoveTask' && call.body.includes(handle)).length;
  const logLines = (message: string) => logLinesWithMessage(t.logs, message);

  it('refuses PutEvents from a principal the bus policy does not list, and logs it: the redrive keeps running', async () => {
    // Prepare
    const { handle, taskId } = await t.runningTask('snd-intruder');

    // Act: a role of the same account, claiming to be the pipeline by its Source
    const output = await sender(KEYS.intruder).send(new PutEventsCommand({ Entries: [cancelEvent(handle, 'com.example.deploy-pipeline')] }));
    await t.stack.eventBus.idle();

    // Assess
    expect(output.FailedEntryCount).toBe(1);
    expect(output.Entries?.[0]?.ErrorCode).toBe('AccessDeniedException');
    expect(t.logs).toContain(`local bus ${CONTROLLER_EVENT_BUS}: PutEvents denied for ${INTRUDER} (not in the bus policy)`);
    expect((await t.get(`/tasks/${taskId}`)).body.Status).toBe('RUNNING');
    expect(cancelCalls(handle)).toBe(0);
    recordFigure(__filename, { area: 'security', scenario: "cancel event on the controller's bus from a principal its policy does not list, with an allowed sender's Source", cases: 1, held: 'PutEvents entry refused (AccessDeniedException) and logged; task RUNNING; 0 SQS cancels' });
  });

  it('routes no cancel event put on the default bus', async () => {
    // Prepare
    const { handle, taskId } = await t.runningTask('snd-default');

    // Act: the local operator may put on the default bus (its identity policy); the cancel rule is not there
    const output = await sender('local').send(new PutEventsCommand({ Entries: [cancelEvent(handle, 'com.example.deploy-pipeline', 'default')] }));
    await t.stack.eventBus.idle();

    // Assess
    expect(output.FailedEntryCount).toBe(0);
    expect((await t.get(`/tasks/${taskId}`)).body.Status).toBe('RUNNING');
    expect(cancelCalls(handle)).toBe(0);
  });

  it('drops and logs a cancel event that reaches the function from an account not allowed', async () => {
    // Prepare: as if delivered by a misconfigured rule, or handed to the function directly
    const { handle, taskId } = await t.runningTask('snd-forged');
    const forged = { version: '0', id: 'forged-1', 'detail-type': CANCEL_DETAIL_TYPE, source: 'com.example.deploy-pipeline', account: '999999999999', region: t.stack.region, resources: [], detail: { TaskHandle: handle } };

    // Act
    const outcome = await t.stack.events.invoke({ ruleName: LOCAL_CANCEL_RULE, event: forged } satisfies RuleDelivery);

    // Assess
    expect(outcome).toEqual({ outcome: 'dropped', reason: 'sender not allowed: account "999999999999" is not an allowed sender of cancel events' });
    recordFigure(__filename, { area: 'security', scenario: 'cancel event reaching the events function from an account not allowed (misrouted, or invoked directly)', cases: 1, held: "dropped, logged with the account ('event dropped'); task RUNNING; 0 SQS cancels" });
    expect(logLines('event dropped')).toEqual(expect.arrayContaining([expect.objectContaining({ eventId: 'forged-1', account: '999999999999', outcome: 'dropped' })]));
    expect((await t.get(`/tasks/${taskId}`)).body.Status).toBe('RUNNING');
    expect(cancelCalls(handle)).toBe(0);
  });

  it.each([
    ['the pipeline, of the stack\'s own account', KEYS.pipeline, '123456789012'],
    ['the runbook, of another allowed account', KEYS.runbook, '210987654321'],
  ])('cancels for %s, naming its account (not its Source) as cancelledBy', async (_case, key, account) => {
    // Prepare
    const { handle, taskId } = await t.runningTask('snd-allowed');

    // Act: the Source claims something else; it is kept, labelled, but it is not the identity
    const output = await sender(key).send(new PutEventsCommand({ Entries: [cancelEvent(handle, 'com.example.pretends-to-be-the-pipeline')] }));
    await t.stack.eventBus.idle();

    // Assess
    expect(output.FailedEntryCount).toBe(0);
    const record = (await t.get(`/tasks/${taskId}`)).body;
    expect(record.Status).toMatch(/^(CANCELLING|CANCELLED)$/);
    expect(record.cancelledBy).toBe(`account ${account} via rule ${LOCAL_CANCEL_RULE}`);
    expect(record.cancelEventSource).toBe('com.example.pretends-to-be-the-pipeline');
    expect(cancelCalls(handle)).toBe(1);
    recordFigure(__filename, { area: 'security', scenario: `allowed sender (${_case}) with a made-up Source`, cases: 1, held: `cancelled once; cancelledBy "account ${account} via rule …"; the Source kept apart as cancelEventSource` });
  });
});
