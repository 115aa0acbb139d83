// The org view at scale: task events of 50 simulated accounts ingested into the read model (the
// org-ingest function, invoked as the org bus's rule does), then the org API's queries at that size:
// latency and DynamoDB calls per page (every filter an index query, never a scan).
import { inParallel } from '../lambda/domain/in-parallel';
import { startLocalOrgView } from '../local/org-stack';
import { inventoryEvent, taskEvent } from '../test/support/org-events';
import { startRecordingProxy } from '../test/support/recording-proxy';
import { percentile } from './bench-stack';
import { ms, type Report } from './report';

const ACCOUNTS = 50;
const QUEUES_PER_ACCOUNT = 20;
const INGEST_CONCURRENCY = 8;
const PROBES = 40;
const QUERY_RUNS = 40;

const accountIdOf = (at: number) => String(100_000_000_000 + at);

export async function measureOrgView(report: Report, events: number): Promise<void> {
  const section = 'org view';
  const proxy = { current: undefined as Awaited<ReturnType<typeof startRecordingProxy>> | undefined };
  const accounts = Array.from({ length: ACCOUNTS }, (_, at) => accountIdOf(at));
  const view = await startLocalOrgView({
    port: 0,
    onLog: () => undefined,
    // actions are not measured here: no account API needs to answer
    accounts: accounts.map((accountId) => ({ accountId, region: 'us-east-1', apiUrl: 'http://127.0.0.1:9/' })),
    interpose: async (_service, url) => ((proxy.current = await startRecordingProxy(url)), proxy.current.url),
  });
  const dynamoDb = proxy.current!;
  try {
    for (const [at, account] of accounts.entries()) {
      const dlqs = Object.fromEntries(Array.from({ length: QUEUES_PER_ACCOUNT }, (_, queue) => [`q-${queue}-dlq`, (at * 37 + queue * 11) % 1000]));
      // sort=age: most DLQs know the age of their oldest message, every fifth does not
      const ages = Object.fromEntries(Object.keys(dlqs).filter((_, queue) => queue % 5 !== 0).map((name, queue) => [name, (at * 13 + queue * 7) % 5000]));
      const totals = { DeadLetterQueues: QUEUES_PER_ACCOUNT, ApproximateNumberOfMessages: Object.values(dlqs).reduce((sum, n) => sum + n, 0), ApproximateNumberOfMessagesNotVisible: 0 };
      await view.ingest.invoke(inventoryEvent({ account, asOf: new Date().toISOString(), dlqs, ages, totals }));
    }
    // events/s: every event ingested, INGEST_CONCURRENCY at a time (the bus invokes the rule's target concurrently)
    const eventOf = (index: number) => taskEvent({
      account: accountIdOf(index % ACCOUNTS),
      taskId: `bench-${index}`,
      version: 1 + (index % 3),
      status: index % 3 === 0 ? 'RUNNING' : index % 3 === 1 ? 'CANCELLING' : 'CANCELLED',
      queue: `q-${Math.floor(index / ACCOUNTS) % QUEUES_PER_ACCOUNT}-dlq`,
      createdAt: new Date(Date.UTC(2026, 10, 1) + index * 1000).toISOString(),
    });
    const started = performance.now();
    await inParallel(Array.from({ length: events }, (_, index) => index), INGEST_CONCURRENCY, (index) => view.ingest.invoke(eventOf(index)));
    const seconds = (performance.now() - started) / 1000;
    report.info(section, `ingest: ${events} task events of ${ACCOUNTS} accounts`, `${(events / seconds).toFixed(0)} events/s (${seconds.toFixed(1)} s, ${INGEST_CONCURRENCY} at a time)`);

    // delay: from the ingest invoke to GET /org/tasks answering with the task
    const delays: number[] = [];
    for (let probe = 0; probe < PROBES; probe += 1) {
      const account = accountIdOf(probe % ACCOUNTS);
      const event = taskEvent({ account, taskId: `probe-${probe}`, version: 1, status: 'RUNNING', queue: `probe-${probe}-dlq`, createdAt: new Date().toISOString() });
      const sourceArn = `arn:aws:sqs:us-east-1:${account}:probe-${probe}-dlq`;
      const sent = performance.now();
      await view.ingest.invoke(event);
      for (;;) {
        const page = await get<{ tasks: Array<{ taskId: string }> }>(view.url, `/org/tasks?accountId=${account}&sourceArn=${encodeURIComponent(sourceArn)}&limit=1`);
        if (page.tasks[0]?.taskId === `probe-${probe}`) break;
        if (performance.now() - sent > 30_000) throw new Error(`probe-${probe} not seen by GET /org/tasks within 30 s`);
      }
      delays.push(performance.now() - sent);
    }
    report.info(section, 'ingest invoke → GET /org/tasks sees it', `p50 ${ms(percentile(delays, 50))}, p99 ${ms(percentile(delays, 99))}`);

    // the most DynamoDB calls a page may take: one Query, except where a filter reads on to fill the page
    const queries: Array<[string, string, number]> = [
      ['GET /org/tasks by account', `/org/tasks?accountId=${accountIdOf(7)}`, 1],
      ['GET /org/tasks by status', '/org/tasks?status=RUNNING', 1],
      ['GET /org/tasks by DLQ', `/org/tasks?sourceArn=${encodeURIComponent(`arn:aws:sqs:us-east-1:${accountIdOf(7)}:q-3-dlq`)}`, 1],
      // entries carry ActiveTask and Recovery from the DLQ's own row: no join call
      ['GET /org/dlqs by messages (with ActiveTask)', '/org/dlqs?sort=messages', 1],
      ['GET /org/dlqs by age', '/org/dlqs?sort=age', 1],
      ['GET /org/dlqs by age in one account', `/org/dlqs?sort=age&accountId=${accountIdOf(7)}`, 1],
      ['GET /org/dlqs by name, prefix (key condition)', '/org/dlqs?sort=name&prefix=q-1', 1],
      ['GET /org/dlqs by messages, prefix (filter)', '/org/dlqs?sort=messages&prefix=q-1', 10],
    ];
    for (const [name, path, maxCalls] of queries) {
      const times: number[] = [];
      let calls = 0;
      let scans = 0;
      let entries = 0;
      for (let run = 0; run < QUERY_RUNS; run += 1) {
        dynamoDb.reset();
        const sent = performance.now();
        const page = await get<{ tasks?: unknown[]; dlqs?: unknown[] }>(view.url, path);
        times.push(performance.now() - sent);
        calls = Math.max(calls, dynamoDb.calls.length);
        scans += dynamoDb.calls.filter((call) => call.target.endsWith('.Scan')).length;
        entries = (page.tasks ?? page.dlqs ?? []).length;
      }
      if (entries === 0) throw new Error(`${name} answered no entries at this size`);
      report.info(section, `${name} (${entries} a page)`, `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`);
      report.atMost(section, `${name}: DynamoDB calls a page`, calls, maxCalls);
      report.atMost(section, `${name}: scans`, scans, 0);
    }

    // GET /org/accounts: the accounts' rows, and the active tasks counted per account (one query per
    // active status, paged: a third of this bench's tasks are RUNNING and a third CANCELLING, far
    // more than an org has active at once)
    const times: number[] = [];
    let calls = 0;
    for (let run = 0; run < QUERY_RUNS; run += 1) {
      dynamoDb.reset();
      const sent = performance.now();
      const page = await get<{ accounts: Array<{ Totals?: { ActiveRedrives: number } }> }>(view.url, '/org/accounts');
      times.push(performance.now() - sent);
      calls = Math.max(calls, dynamoDb.calls.length);
      if (page.accounts.length !== ACCOUNTS || page.accounts.some((account) => account.Totals === undefined)) throw new Error('GET /org/accounts answered accounts without Totals');
      if (dynamoDb.calls.some((call) => call.target.endsWith('.Scan'))) throw new Error('GET /org/accounts scanned');
    }
    report.info(section, `GET /org/accounts with Totals (${ACCOUNTS} accounts)`, `p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}, ${calls} DynamoDB calls (Query, 0 Scan)`);
  } finally {
    await view.stop();
    await dynamoDb.close();
  }
}

async function get<T>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}${path}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}
