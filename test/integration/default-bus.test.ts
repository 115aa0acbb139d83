import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { useTestStack } from '../support/local-stack-fixture';

const alarm: PutEventsRequestEntry = {
  Source: 'aws.cloudwatch',
  DetailType: 'CloudWatch Alarm State Change',
  Resources: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:default-bus-test'],
  Detail: JSON.stringify({ alarmName: 'default-bus-test', state: { value: 'OK' }, previousState: { value: 'ALARM' } }),
};
const custom: PutEventsRequestEntry = { Source: 'com.example.app', DetailType: 'Something Happened', Detail: '{}' };

/** API.md section 10: PutEvents on the `default` bus (no resource policy) is decided by the caller's identity policies. */
describe('PutEvents on the default bus', () => {
  const t = useTestStack();
  const clients: EventBridgeClient[] = [];
  const put = async (accessKeyId: string, entry: PutEventsRequestEntry) => {
    const client = new EventBridgeClient({ endpoint: t.stack.eventsUrl, region: t.stack.region, credentials: { accessKeyId, secretAccessKey: 'x' } });
    clients.push(client);
    return (await client.send(new PutEventsCommand({ Entries: [entry] }))).Entries![0]!;
  };
  afterAll(() => {
    for (const client of clients) client.destroy();
  });

  it("refuses a same-account role without a grant and an AWS service's source, and admits the local operator's simulated alarm", async () => {
    // Prepare
    const before = t.stack.eventBus.events.length;
    const apiRole = t.stack.functionEnvs.api.AWS_ACCESS_KEY_ID!;

    // Act
    const byStranger = await put('mallory', custom);
    const forgedAlarm = await put('mallory', alarm);
    const byFunction = await put(apiRole, custom);
    const simulatedAlarm = await put(LOCAL_CREDENTIALS.accessKeyId, alarm);

    // Assess
    expect([byStranger.ErrorCode, byStranger.ErrorMessage]).toEqual(['AccessDeniedException', expect.stringContaining('role/mallory is not authorized to perform: events:PutEvents')]);
    expect(forgedAlarm.ErrorCode).toBe('NotAuthorizedForSourceException');
    expect(byFunction.ErrorCode).toBe('AccessDeniedException');
    expect(simulatedAlarm).toEqual({ EventId: expect.any(String) });
    expect(t.stack.eventBus.events.slice(before).map((event) => event.source)).toEqual(['aws.cloudwatch']);
  });
});
