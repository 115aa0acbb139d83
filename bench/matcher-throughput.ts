// The content filter's throughput, in process: policies × messages matched per second, as the
// selective mover matches (subject built once per message, then every policy tried). No I/O.
import {
  type FilterPolicy,
  matchesFilterPolicy,
  messageAttributesSubject,
  messageBodySubject,
  parseFilterPolicy,
} from '../lambda/domain/content-filter/filter-policy';
import type { Report } from './report';

/** Policies of the kinds the issue names: one tenant, one message type, a canary, an exclusion. */
const ATTRIBUTE_POLICIES = [
  { tenant: ['acme'] },
  { tenant: ['acme', 'globex'], type: [{ prefix: 'order.' }] },
  { amount: [{ numeric: ['>', 100, '<=', 5000] }], currency: [{ 'anything-but': ['XXX'] }] },
  { retry: [{ exists: false }], $or: [{ region: [{ 'equals-ignore-case': 'EU-WEST-1' }] }, { priority: ['high'] }] },
];
const BODY_POLICIES = [
  { order: { tenant: ['acme'], status: [{ 'anything-but': { prefix: 'test-' } }] } },
  { 'detail.type': [{ suffix: '.failed' }], detail: { attempts: [{ numeric: ['>=', 3] }] } },
  { items: { sku: [{ prefix: 'SKU-1' }] }, $or: [{ channel: ['web'] }, { channel: ['app'] }] },
];

function syntheticMessage(at: number) {
  const tenant = ['acme', 'globex', 'initech', 'umbrella'][at % 4] as string;
  return {
    attributes: {
      tenant: { DataType: 'String', StringValue: tenant },
      type: { DataType: 'String', StringValue: at % 3 === 0 ? 'order.created' : 'invoice.sent' },
      amount: { DataType: 'Number', StringValue: String((at * 37) % 9000) },
      currency: { DataType: 'String', StringValue: at % 10 === 0 ? 'XXX' : 'EUR' },
      region: { DataType: 'String', StringValue: at % 2 ? 'eu-west-1' : 'us-east-1' },
    },
    body: JSON.stringify({
      order: { tenant, status: at % 5 === 0 ? 'test-pending' : 'pending', id: `o-${at}` },
      detail: { type: at % 4 === 0 ? 'payment.failed' : 'payment.ok', attempts: at % 6 },
      items: [{ sku: `SKU-${at % 200}`, quantity: 1 }, { sku: 'SKU-999', quantity: 2 }],
      channel: at % 2 ? 'web' : 'store',
      note: 'x'.repeat(200),
    }),
  };
}

export interface MatcherThroughput {
  readonly attributeMatchesPerSecond: number;
  readonly bodyMatchesPerSecond: number;
  readonly bodyMessagesPerSecond: number;
}

export function measureMatcherThroughput(messageCount = 20_000): MatcherThroughput {
  const messages = Array.from({ length: messageCount }, (_, at) => syntheticMessage(at));
  const attributePolicies = ATTRIBUTE_POLICIES.map((policy) => parseFilterPolicy(policy));
  const bodyPolicies = BODY_POLICIES.map((policy) => parseFilterPolicy(policy, 'MessageBody'));

  const run = (policies: readonly FilterPolicy[], subjectOf: (message: ReturnType<typeof syntheticMessage>) => unknown) => {
    let matched = 0;
    const started = performance.now();
    for (const message of messages) {
      const subject = subjectOf(message);
      for (const policy of policies) if (matchesFilterPolicy(policy, subject)) matched += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    if (matched === 0) throw new Error('the synthetic messages should match some policies');
    return seconds;
  };

  run(attributePolicies, (message) => messageAttributesSubject(message.attributes)); // warm-up
  const attributeSeconds = run(attributePolicies, (message) => messageAttributesSubject(message.attributes));
  run(bodyPolicies, (message) => messageBodySubject(message.body));
  const bodySeconds = run(bodyPolicies, (message) => messageBodySubject(message.body));
  return {
    attributeMatchesPerSecond: (messageCount * attributePolicies.length) / attributeSeconds,
    bodyMatchesPerSecond: (messageCount * bodyPolicies.length) / bodySeconds,
    bodyMessagesPerSecond: messageCount / bodySeconds,
  };
}

/** The mover's target is 1,000 messages a second; matching should cost a small part of that. */
export function reportMatcherThroughput(report: Report): void {
  const result = measureMatcherThroughput();
  const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
  report.info('content filter', 'MessageAttributes policies × messages (subject built per message)', perSecond(result.attributeMatchesPerSecond));
  report.info('content filter', 'MessageBody policies × messages (body parsed per message, ~0.5 KB)', perSecond(result.bodyMatchesPerSecond));
  // share of one core that matching 1,000 messages a second against the body policies costs
  report.atMost('content filter', 'one core used by matching 1,000 msg/s (3 body policies)', 1000 / result.bodyMessagesPerSecond, 0.05, (n) => `${(n * 100).toFixed(1)}%`);
}
