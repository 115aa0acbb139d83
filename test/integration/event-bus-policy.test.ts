import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

import { type LocalEventBus, startLocalEventBus } from '../../local/event-bus';
import { senderBusPolicy } from '../../local/event-bus-policy';

const ACCOUNT = '123456789012';
const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/guarded`;

describe('the local bus evaluates PutEvents against its policy, entry by entry', () => {
  let bus: LocalEventBus;
  const denied: string[] = [];
  beforeAll(async () => {
    bus = await startLocalEventBus({
      port: 0,
      accountId: ACCOUNT,
      region: 'us-east-1',
      buses: ['guarded'],
      policies: { guarded: senderBusPolicy(BUS_ARN, [`arn:aws:iam::${ACCOUNT}:role/deploy-*`]) },
      onDenied: (name, principal) => denied.push(`${name} ${principal}`),
    });
  });
  afterAll(() => bus.close());

  const sender = (accessKeyId: string) => new EventBridgeClient({ endpoint: bus.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'any' } });
  const entry = (bus: string, detailType: string) => ({ EventBusName: bus, Source: 'test.bus', DetailType: detailType, Detail: '{}' });

  it('fails only the denied entry (AccessDeniedException in Entries), delivers the rest, and never the denied one', async () => {
    // Prepare
    const client = sender('some-app');

    // Act: one entry on the open default bus, one on the guarded bus
    const output = await client.send(new PutEventsCommand({ Entries: [entry('default', 'open'), entry(BUS_ARN, 'guarded')] }));
    client.destroy();

    // Assess
    expect(output.FailedEntryCount).toBe(1);
    expect(output.Entries?.[0]?.EventId).toBeDefined();
    expect(output.Entries?.[1]).toEqual({
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: `User: arn:aws:iam::${ACCOUNT}:role/some-app is not authorized to perform: events:PutEvents on resource: ${BUS_ARN} with an explicit deny in a resource-based policy`,
    });
    expect(bus.events.map((event) => event['detail-type'])).toEqual(['open']);
    expect(denied).toEqual([`guarded arn:aws:iam::${ACCOUNT}:role/some-app`]);
  });

  it('admits a sender the policy lists, named by its access key id', async () => {
    const client = sender('deploy-pipeline');
    const output = await client.send(new PutEventsCommand({ Entries: [entry('guarded', 'from the pipeline')] }));
    client.destroy();
    expect(output.FailedEntryCount).toBe(0);
    expect(bus.events.at(-1)).toMatchObject({ 'detail-type': 'from the pipeline', 'event-bus-name': 'guarded', account: ACCOUNT });
  });
});
