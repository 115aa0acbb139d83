import type { LocalRule } from './event-bus';

/**
 * EventBridge's reads of rules and targets, answered from the local bus's rules in the JSON shapes the
 * SDK's EventBridgeClient reads:
 * - ListRules (`EventBusName`, `NamePrefix`, `Limit` 1..100, `NextToken`): https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html
 * - ListTargetsByRule (`Rule`, `EventBusName`, `Limit` 1..100, `NextToken`): https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html
 * - DescribeRule (`Name`, `EventBusName`): https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeRule.html
 * An unknown bus or rule is ResourceNotFoundException, as EventBridge answers.
 */
export function answerRuleRead(
  target: string,
  body: Record<string, unknown>,
  state: { readonly buses: ReadonlySet<string>; readonly rules: readonly LocalRule[]; readonly accountId: string; readonly region: string },
): { status: number; body: unknown } | undefined {
  const operation = target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : undefined;
  if (operation !== 'ListRules' && operation !== 'ListTargetsByRule' && operation !== 'DescribeRule') return undefined;
  const bus = busNameOf(body.EventBusName);
  if (!state.buses.has(bus)) return notFound(`Event bus ${bus} does not exist.`);
  const limit = body.Limit;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100)) {
    return { status: 400, body: { __type: 'ValidationException', message: 'Limit must be an integer from 1 to 100' } };
  }
  const size = typeof limit === 'number' ? limit : 100;
  const onBus = state.rules.filter((rule) => (rule.eventBusName ?? 'default') === bus);
  const arnOf = (rule: LocalRule) => `arn:aws:events:${state.region}:${state.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${rule.name}`;
  const describe = (rule: LocalRule) => ({ Name: rule.name, Arn: arnOf(rule), EventPattern: JSON.stringify(rule.pattern), State: 'ENABLED', EventBusName: bus });
  if (operation === 'ListRules') {
    const prefix = typeof body.NamePrefix === 'string' ? body.NamePrefix : '';
    const matching = onBus.filter((rule) => rule.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    return page(matching, body.NextToken, size, (rule) => rule.name, (items, next) => ({ Rules: items.map(describe), ...next }));
  }
  const name = operation === 'DescribeRule' ? body.Name : body.Rule;
  if (typeof name !== 'string' || name === '') return { status: 400, body: { __type: 'ValidationException', message: `${operation === 'DescribeRule' ? 'Name' : 'Rule'} is required` } };
  const rule = onBus.find((each) => each.name === name);
  if (!rule) return notFound(`Rule ${name} does not exist on EventBus ${bus}.`);
  if (operation === 'DescribeRule') return { status: 200, body: { ...describe(rule), CreatedBy: state.accountId } };
  const targets = [...(rule.targets ?? [])];
  return page(targets, body.NextToken, size, (target) => target.Id, (items, next) => ({ Targets: items, ...next }));
}

/** One page after the token (opaque to callers: the key the page starts at). */
function page<T>(items: readonly T[], token: unknown, size: number, key: (item: T) => string, render: (items: readonly T[], next: { NextToken?: string }) => unknown): { status: number; body: unknown } {
  let start = 0;
  if (token !== undefined) {
    const from = typeof token === 'string' ? Buffer.from(token, 'base64url').toString('utf8') : '';
    start = items.findIndex((item) => key(item) === from);
    if (start < 0) return { status: 400, body: { __type: 'ValidationException', message: 'The NextToken is invalid' } };
  }
  const next = items[start + size];
  return { status: 200, body: render(items.slice(start, start + size), next === undefined ? {} : { NextToken: Buffer.from(key(next)).toString('base64url') }) };
}

function notFound(message: string): { status: number; body: unknown } {
  return { status: 400, body: { __type: 'ResourceNotFoundException', message } };
}

function busNameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1]! : value;
}
