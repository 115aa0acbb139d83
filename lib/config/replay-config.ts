import { ConfigError } from './config-error';
import { describeValue } from './describe-value';

/**
 * `replayTargets` (API.md section 11): ARNs of the functions, queues, topics and event buses a replay
 * may deliver to, each exact or a prefix ending in `*`. Nothing else is delivered to, whatever a dead
 * letter names (its message stays, unroutable); the mover's role is granted exactly these.
 */
const KINDS: readonly { readonly service: string; readonly resource: string; readonly example: string }[] = [
  { service: 'lambda', resource: 'function:', example: 'function:orders' },
  { service: 'sqs', resource: '', example: 'orders' },
  { service: 'sns', resource: '', example: 'order-events' },
  { service: 'events', resource: 'event-bus/', example: 'event-bus/audit' },
];

export function parseReplayTargets(raw: unknown, where: string, home: { partition: string; region: string; account: string }): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new ConfigError(`${where} must be a list of ARNs, got ${describeValue(raw)}`);
  return raw.map((value, index) => {
    const at = `${where}[${index}]`;
    if (typeof value !== 'string') throw new ConfigError(`${at} must be an ARN string, got ${describeValue(value)}`);
    const kind = KINDS.find(({ service, resource }) => value.startsWith(`arn:${home.partition}:${service}:`) && value.split(':').slice(5).join(':').startsWith(resource));
    const parts = value.split(':');
    const name = parts.slice(5).join(':').slice(kind?.resource.length ?? 0);
    if (!kind || parts.length < 6 || !/^[a-z0-9-]+$/.test(parts[3]!) || !/^\d{12}$/.test(parts[4]!) || !/^[\w.\-/:$]*\*?$/.test(name) || name === '') {
      const examples = KINDS.map(({ service, example }) => `arn:${home.partition}:${service}:${home.region}:${home.account}:${example}`).join(', ');
      throw new ConfigError(`${at} must be the ARN of a function, queue, topic or event bus (a trailing * allowed), e.g. ${examples}; got ${describeValue(value)}`);
    }
    return value;
  });
}
