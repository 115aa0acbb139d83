import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

import { orgForwardPattern } from '../../lambda/config/event-patterns';
import { matchesEventPattern, parseEventPattern } from '../../lambda/domain/content-filter/event-pattern';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';
import { eventually } from '../support/local-stack-fixture';

const [ACCOUNT_1] = LOCAL_ORG_ACCOUNTS;
const DLQ_NAME = 'org-rec';
const DLQ_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT_1}:${DLQ_NAME}-dlq`;
const ALARM = 'org-rec-errors';

describe("the org view shows each DLQ's recovery state as its account does", () => {
  const t = useTestOrg({
    accounts: { [ACCOUNT_1]: { recoveryPolicies: [{ dlq: DLQ_ARN, alarms: [ALARM], resumeAfterOkSeconds: 0, startRate: 1, maxRate: 1, rampEverySeconds: 3600 }] } },
  });
  let events: EventBridgeClient;

  beforeAll(async () => {
    const account = t.org.accounts[ACCOUNT_1]!;
    events = new EventBridgeClient({ endpoint: account.eventsUrl, region: account.region, credentials: LOCAL_CREDENTIALS });
    await t.seedDlq(ACCOUNT_1, DLQ_NAME, 20);
    await account.refreshInventory();
  });
  afterAll(() => events.destroy());

  /** an alarm's state change on account 1's default bus, as CloudWatch sends it */
  async function alarm(value: 'ALARM' | 'OK', at: Date): Promise<void> {
    const output = await events.send(new PutEventsCommand({
      Entries: [{
        Source: 'aws.cloudwatch',
        DetailType: 'CloudWatch Alarm State Change',
        Resources: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT_1}:alarm:${ALARM}`],
        Detail: JSON.stringify({ alarmName: ALARM, state: { value, reason: `test: ${value}`, timestamp: at.toISOString().replace('Z', '+0000') } }),
      }],
    }));
    expect(output.FailedEntryCount).toBe(0);
    await t.org.accounts[ACCOUNT_1]!.eventBus.idle();
  }

  const ownRecovery = async () => (await t.account$(ACCOUNT_1, '/dlqs')).body.dlqs.find((dlq: { QueueArn: string }) => dlq.QueueArn === DLQ_ARN)?.Recovery;
  const orgRecovery = async () => (await t.org$(`/org/dlqs?accountId=${ACCOUNT_1}`)).body.dlqs.find((dlq: { QueueArn: string }) => dlq.QueueArn === DLQ_ARN)?.Recovery;
  /**
   * The account's Recovery as its newest state change told it: without the fields its events do not
   * carry, and with that change's Reason (the account refines its reason within a state, a ramp, without an event)
   */
  const carried = ({ NextActionAt: _next, CurrentRate: _rate, ...recovery }: Record<string, unknown>) => {
    const changes = t.org.accounts[ACCOUNT_1]!.eventBus.events.filter((event) => event['detail-type'] === 'Redrive Recovery State Changed');
    return { ...recovery, Reason: (changes.at(-1)?.detail as { Reason?: string } | undefined)?.Reason };
  };

  it('shows PAUSED once an alarm fires in the account, then RECOVERING with its RunId once healthy', async () => {
    // Act: the alarm fires
    await alarm('ALARM', new Date());
    const paused = await eventually(orgRecovery, (recovery) => recovery?.State === 'PAUSED');

    // Assess
    expect(paused).toEqual(carried(await ownRecovery()));

    // Act: the alarm clears, and the recovery resumes (resumeAfterOkSeconds 0) on the next tick
    await alarm('OK', new Date(Date.now() + 1000));
    const own = await eventually(async () => (await t.org.accounts[ACCOUNT_1]!.reconcile(), await ownRecovery()), (recovery) => recovery?.State === 'RECOVERING', 30_000);
    const recovering = await eventually(orgRecovery, (recovery) => recovery?.State === 'RECOVERING');

    // Assess
    expect(recovering.RunId).toEqual(expect.any(String));
    expect(recovering).toEqual(carried(own));
  });

  it('keeps the newest state when the forwarded recovery events arrive again, twice and in reverse', async () => {
    // Prepare
    const forwarded = t.org.accounts[ACCOUNT_1]!.eventBus.events.filter(
      (event) => event['detail-type'] === 'Redrive Recovery State Changed' && matchesEventPattern(parseEventPattern(orgForwardPattern({ account: ACCOUNT_1 })), event),
    );
    expect(forwarded.length).toBeGreaterThanOrEqual(2);
    const before = await orgRecovery();

    // Act
    const replay = [...forwarded].reverse();
    for (const event of [...replay, ...replay]) await t.org.org.bus.deliver(event);
    await t.org.org.bus.idle();

    // Assess
    expect(await orgRecovery()).toEqual(before);
    expect(before).toEqual(carried(await ownRecovery()));
  });
});
