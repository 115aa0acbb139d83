import { SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS, type LocalStackOptions } from '../../local/local-stack';
import { type LocalOrg, startLocalOrg } from '../../local/org-stack';
import { seedDlq, type SeededDlq } from '../../local/seed-dlq';
import { type RecordingProxy, startRecordingProxy } from './recording-proxy';
import { useStarted } from './use-started';

export interface TestOrg {
  readonly org: LocalOrg;
  /** the org functions' DynamoDB calls */
  readonly orgDynamoDbProxy: RecordingProxy;
  /** each account's functions' SQS calls, by account id */
  readonly sqsProxies: Readonly<Record<string, RecordingProxy>>;
  /** an SQS client on each account's emulator, by account id */
  readonly sqs: Readonly<Record<string, SQSClient>>;
  readonly logs: string[];
  seedDlq(accountId: string, name: string, count: number): Promise<SeededDlq>;
  /** GET or POST on the org API */
  org$(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; headers: Record<string, string>; body: any; text: string }>;
  /** GET or POST on an account's own API */
  account$(accountId: string, path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; text: string }>;
  stop(): Promise<void>;
}

async function call(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body, text };
}

export interface TestOrgOptions {
  /** more of an account's local stack options (recovery policies, alarms), by account id */
  readonly accounts?: Readonly<Record<string, Partial<LocalStackOptions>>>;
}

/** `npm start -- --org` on free ports: two account stacks forwarding to the org view; schedules run only when a test asks. */
export async function startTestOrg(options: TestOrgOptions = {}): Promise<TestOrg> {
  const logs: string[] = [];
  let orgDynamoDbProxy: RecordingProxy | undefined;
  const sqsProxies: Record<string, RecordingProxy> = {};
  const org = await startLocalOrg({
    orgPort: 0,
    onLog: (line) => logs.push(line),
    accountOptions: (accountId) => ({
      ...options.accounts?.[accountId],
      apiPort: 0, sqsPort: 0, dynamoDbPort: 0, eventsPort: 0, lambdaPort: 0, reconcileIntervalMs: 0,
      interpose: async (service, url) => {
        if (service !== 'sqs') return url;
        sqsProxies[accountId] = await startRecordingProxy(url);
        return sqsProxies[accountId].url;
      },
    }),
    orgInterpose: async (_service, url) => {
      orgDynamoDbProxy = await startRecordingProxy(url);
      return orgDynamoDbProxy.url;
    },
  });
  const sqs = Object.fromEntries(Object.values(org.accounts).map((stack) => [stack.accountId, new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS })]));
  return {
    org,
    orgDynamoDbProxy: orgDynamoDbProxy!,
    sqsProxies,
    sqs,
    logs,
    seedDlq: (accountId, name, count) => seedDlq(sqs[accountId]!, name, count),
    org$: (path, init) => call(`${org.org.url}${path}`, init),
    account$: (accountId, path, init) => call(`${org.accounts[accountId]!.apiUrl}${path}`, init),
    stop: async () => {
      for (const client of Object.values(sqs)) client.destroy();
      await org.stop();
      await orgDynamoDbProxy?.close();
      for (const proxy of Object.values(sqsProxies)) await proxy.close();
    },
  };
}

/** The describe block's org: started before its tests, stopped after them. */
export function useTestOrg(options: TestOrgOptions = {}): TestOrg {
  return useStarted(() => startTestOrg(options));
}
