// The org view's whole feed on the local organization: PutEvents on an account's outbound bus, as its
// reconciler publishes (only the functions' roles may put there) --> its forwarding rule --> the org
// bus --> org-ingest --> the read model --> GET /org/tasks sees the task.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

import { EVENT_SOURCE, TaskEventType } from '../lambda/domain/task-event';
import { LOCAL_REGION } from '../local/local-stack';
import { LOCAL_ORG_ACCOUNTS, startLocalOrg } from '../local/org-stack';
import { percentile } from './bench-stack';
import { ms, type Report } from './report';

const PROBES = 40;

export async function measureOrgPutEventsDelay(report: Report): Promise<void> {
  const org = await startLocalOrg({
    orgPort: 0,
    onLog: () => undefined,
    accountOptions: () => ({ apiPort: 0, sqsPort: 0, dynamoDbPort: 0, eventsPort: 0, lambdaPort: 0, reconcileIntervalMs: 0 }),
  });
  // the reconciler's own bus and role, from its synthesized environment
  const publisher = (account: string) => org.accounts[account]!.functionEnvs.reconciler;
  const clients = Object.fromEntries(
    LOCAL_ORG_ACCOUNTS.map((account) => [
      account,
      new EventBridgeClient({ endpoint: org.accounts[account]!.eventsUrl, region: LOCAL_REGION, credentials: { accessKeyId: publisher(account).AWS_ACCESS_KEY_ID!, secretAccessKey: 'local' } }),
    ]),
  );
  try {
    const delays: number[] = [];
    for (let probe = 0; probe < PROBES; probe += 1) {
      const account = LOCAL_ORG_ACCOUNTS[probe % LOCAL_ORG_ACCOUNTS.length]!;
      const taskId = `put-events-probe-${probe}`;
      const sourceArn = `arn:aws:sqs:${LOCAL_REGION}:${account}:put-events-probe-dlq`;
      const detail = { eventId: `${taskId}:started:1`, taskId, Status: 'RUNNING', SourceArn: sourceArn, createdAt: new Date().toISOString(), ApproximateNumberOfMessagesMoved: 0 };
      const sent = performance.now();
      const put = await clients[account]!.send(new PutEventsCommand({ Entries: [{ EventBusName: publisher(account).EVENT_BUS_NAME, Source: EVENT_SOURCE, DetailType: TaskEventType.Started, Detail: JSON.stringify(detail) }] }));
      if (put.FailedEntryCount) throw new Error(`PutEvents refused the probe: ${JSON.stringify(put.Entries)}`);
      for (;;) {
        const response = await fetch(`${org.org.url}/org/tasks?sourceArn=${encodeURIComponent(sourceArn)}&limit=1`);
        const page = (await response.json()) as { tasks?: Array<{ taskId: string }> };
        if (page.tasks?.[0]?.taskId === taskId) break;
        if (performance.now() - sent > 30_000) throw new Error(`${taskId} not seen by GET /org/tasks within 30 s`);
      }
      delays.push(performance.now() - sent);
    }
    report.info('org view', `PutEvents on an account's outbound bus → GET /org/tasks sees it (n=${PROBES}, 2 accounts)`, `p50 ${ms(percentile(delays, 50))}, p99 ${ms(percentile(delays, 99))}`);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
    await org.stop();
  }
}
