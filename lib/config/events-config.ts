import { ConfigError } from './config-error';
import { describeValue } from './describe-value';

/**
 * The `events` key of a config file: who may put cancel events on the controller's own bus, and how
 * many events the events function handles at once. A sender's `Source` only routes; these say who
 * the sender is, as IAM and EventBridge vouch for it.
 */
export interface EventsConfig {
  /** the bus the stack creates for cancel events; @default 'redrive-controller' */
  readonly busName: string;
  /** IAM role or user ARNs (a trailing `*` allowed) admitted by the bus policy; everyone else is denied */
  readonly allowedSenders: readonly string[];
  /** @default - no organization-wide access */
  readonly organizationId?: string;
  /**
   * Accounts whose events the cancel rule and the function accept: this account, the accounts of
   * `allowedSenders`, and `senderAccounts` (needed for an organization, whose accounts no ARN names).
   */
  readonly senderAccounts: readonly string[];
  /** the events function's reserved concurrency: a flood of events throttles instead of fanning out */
  readonly reservedConcurrency: number;
}

export const DEFAULT_EVENT_BUS = 'redrive-controller';
export const DEFAULT_EVENTS_CONCURRENCY = 2;

const EVENTS_KEYS = ['busName', 'allowedSenders', 'organizationId', 'senderAccounts', 'reservedConcurrency'] as const;
const PRINCIPAL = /^arn:aws[a-z-]*:iam::(\d{12}):(?:role|user)\/(?:[\w+=,.@/-]*[\w+=,.@-]\*?|\*)$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const BUS_NAME = /^[\w.-]{1,256}$/;

export function parseEventsConfig(raw: unknown, at: (key: string) => string, account: string): EventsConfig {
  if (raw === undefined) return { busName: DEFAULT_EVENT_BUS, allowedSenders: [], senderAccounts: [account], reservedConcurrency: DEFAULT_EVENTS_CONCURRENCY };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${at('events')} must be an object; got ${describeValue(raw)}`);
  const events = raw as Record<string, unknown>;
  for (const key of Object.keys(events)) {
    if (!(EVENTS_KEYS as readonly string[]).includes(key)) throw new ConfigError(`${at(`events.${key}`)} is not a known key; known keys: ${EVENTS_KEYS.join(', ')}`);
  }
  const busName = events.busName === undefined ? DEFAULT_EVENT_BUS : text(events.busName, at('events.busName'), 'an EventBridge bus name other than "default"', BUS_NAME);
  // a policy on the default bus would restrict every other application's events in the account
  if (busName === 'default') throw new ConfigError(`${at('events.busName')} must name a bus of the controller's own, not "default": the stack puts a policy on it that denies every sender not listed`);
  const allowedSenders = strings(events.allowedSenders, at('events.allowedSenders'), 'an IAM role or user ARN, e.g. "arn:aws:iam::111122223333:role/deploy-pipeline" (a trailing * is allowed)', PRINCIPAL);
  const organizationId = events.organizationId === undefined ? undefined : text(events.organizationId, at('events.organizationId'), 'an AWS Organizations id, e.g. "o-a1b2c3d4e5"', ORG_ID);
  const listedAccounts = strings(events.senderAccounts, at('events.senderAccounts'), 'a 12-digit AWS account id', /^\d{12}$/);
  if (organizationId !== undefined && listedAccounts.length === 0) {
    throw new ConfigError(`${at('events.senderAccounts')} must list the accounts whose events the cancel rule accepts when events.organizationId is set: no ARN names them`);
  }
  const concurrency = events.reservedConcurrency ?? DEFAULT_EVENTS_CONCURRENCY;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
    throw new ConfigError(`${at('events.reservedConcurrency')} must be an integer from 1 to 100; got ${describeValue(concurrency)}`);
  }
  const senderAccounts = [...new Set([account, ...allowedSenders.map((arn) => PRINCIPAL.exec(arn)![1]!), ...listedAccounts])];
  return { busName, allowedSenders, ...(organizationId ? { organizationId } : {}), senderAccounts, reservedConcurrency: concurrency };
}

function text(value: unknown, where: string, expected: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new ConfigError(`${where} must be ${expected}; got ${describeValue(value)}`);
  return value;
}

function strings(value: unknown, where: string, expected: string, pattern: RegExp): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${where} must be a list; got ${describeValue(value)}`);
  return [...new Set(value.map((entry, index) => text(entry, `${where}[${index}]`, expected, pattern)))];
}
