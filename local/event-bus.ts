import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { type EventPattern, matchesEventPattern, parseEventPattern } from '../lambda/domain/content-filter/event-pattern';
import { running } from './emulators';
import { answerRuleRead } from './event-bus-rules-api';
import { accessDeniedMessage } from './policy/access-denied-message';
import { callerOf, type IdentityPolicies, identityPoliciesOf } from './policy/caller';
import { putEventsCheck } from './policy/events-authorization';
import { accountOfPrincipal, evaluateAuthorization, type PolicyDocument } from './policy/policy-evaluator';

/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
  readonly 'event-bus-name': string;
}

export interface LocalRule {
  readonly name: string;
  /** an EventBridge event pattern as PutRule takes it; checked when the rule is added */
  readonly pattern: object;
  /** @default 'default' */
  readonly eventBusName?: string;
  readonly target: (event: BusEvent) => Promise<unknown>;
  /** what ListTargetsByRule answers for it (EventBridge's Target shape); @default - no targets listed */
  readonly targets?: readonly ListedTarget[];
}

/** A rule's target as ListTargetsByRule lists it: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html */
export interface ListedTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string };
  readonly DeadLetterConfig?: { readonly Arn: string };
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
}

/**
 * Who may put events on a bus, as a deployment configures it: principal ARNs (a trailing `*` allowed),
 * and the access key ids local callers sign with. The local stack turns it into the bus policy
 * lib/cancel-event-bus.ts deploys (see event-bus-policy.ts); the evaluator decides.
 */
export interface LocalBusPolicy {
  /** IAM principal ARNs, a trailing `*` allowed, as the deployed bus policy lists them */
  readonly allowedSenders: readonly string[];
  /** access key id → the principal ARN it signs as */
  readonly identities: Readonly<Record<string, string>>;
}

export interface LocalEventBus {
  readonly url: string;
  /** every event put on the bus, in arrival order (tests read it) */
  readonly events: readonly BusEvent[];
  addRule(rule: LocalRule): void;
  /** resolves with the first event (already received or arriving) that satisfies the predicate */
  waitFor(predicate: (event: BusEvent) => boolean, timeoutMs?: number): Promise<BusEvent>;
  /**
   * Takes an event another bus already accepted, as it is (id, account, time), as a cross-account
   * event bus target hands it on: put by the event's account, evaluated against the bus's policy.
   * Refused (AccessDeniedException) when the policy denies that account.
   */
  deliver(event: BusEvent): Promise<void>;
  /** resolves once every delivery to a rule target started so far has settled */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * EventBridge's PutEvents on 127.0.0.1 (JSON protocol, as the SDK's EventBridgeClient and
 * `aws events put-events --endpoint-url` send it). Matching events go to the rules' targets. The reads
 * an inventory makes are answered too (local/event-bus-rules-api.ts: ListRules, ListTargetsByRule,
 * DescribeRule). A bus
 * with a policy evaluates each entry against it (local/policy/policy-evaluator.ts) for the caller its
 * access key id names; a denied entry fails in `Entries` and is never delivered.
 */
export async function startLocalEventBus(options: {
  port: number;
  accountId: string;
  region: string;
  onDeliveryError?: (rule: string, error: unknown) => void;
  /** buses besides `default` that exist; PutEvents to any other is refused; @default - none */
  buses?: readonly string[];
  /**
   * bus name → its resource policy, as synthesized: PutEvents on that bus is evaluated against it,
   * for the caller its access key id names (API.md section 10)
   * @default - every bus admits anyone
   */
  policies?: Readonly<Record<string, PolicyDocument>>;
  /** access key ids that name another principal than `role/<key id>`; @default - none */
  identities?: Readonly<Record<string, string>>;
  /** the callers' identity policies, by role ARN, where known; @default - none */
  identityPolicies?: IdentityPolicies;
  /**
   * The AWS Organization the callers' accounts belong to: their requests carry `aws:PrincipalOrgID`,
   * which an org bus's policy names. @default - no caller is in an organization
   */
  organization?: { readonly id: string; readonly accounts: readonly string[] };
  /** the bus `deliver` puts events on (a cross-account target names one bus); @default 'default' */
  deliverBus?: string;
  /**
   * Principals that may put events with an AWS service's source (`aws.*`), as only AWS services may on
   * AWS; everyone else's such entry fails with NotAuthorizedForSourceException. Applies with
   * `identityPolicies` (enforcement). @default - none
   */
  awsSourceSenders?: readonly string[];
  /** told of every entry a bus policy denied */
  onDenied?: (bus: string, principal: string | undefined) => void;
}): Promise<LocalEventBus> {
  const buses = new Set(['default', ...(options.buses ?? [])]);
  const events: BusEvent[] = [];
  const rules: (LocalRule & { readonly checkedPattern: EventPattern })[] = [];
  const waiters = new Set<{ predicate: (event: BusEvent) => boolean; resolve: (event: BusEvent) => void }>();
  const deliveries = new Set<Promise<unknown>>();

  type Answer = { EventId?: string; ErrorCode?: string; ErrorMessage?: string };
  /** The bus's policy for one entry; an entry it denies fails as AccessDeniedException, as PutEventsResultEntry lists it. */
  const refusal = async (entry: Record<string, unknown>, principal: string): Promise<Answer | undefined> => {
    const busName = busNameOf(entry.EventBusName);
    if (!buses.has(busName)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    const policy = options.policies?.[busName];
    // without enforcement (no identity policies), a bus without a policy admits anyone
    if (!policy && !options.identityPolicies) return undefined;
    // only AWS services put `aws.*` sources (PutEventsResultEntry's NotAuthorizedForSourceException):
    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
    if (typeof entry.Source === 'string' && entry.Source.startsWith('aws.') && !options.awsSourceSenders?.includes(principal)) {
      options.onDenied?.(busName, principal);
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'You do not have permissions to publish events with this source onto this event bus.' };
    }
    // a bus without a policy (the account's `default`): the caller's identity policies alone decide
    const denial = await policyDenial(entry, busName, policy, principal);
    if (denial === undefined) return undefined;
    options.onDenied?.(busName, principal);
    return { ErrorCode: 'AccessDeniedException', ErrorMessage: denial };
  };

  /** IAM's message when the bus's policy denies the principal this entry, else undefined. */
  const policyDenial = async (entry: Record<string, unknown>, busName: string, policy: PolicyDocument | undefined, principal: string): Promise<string | undefined> => {
    const check = putEventsCheck({ ...entry, EventBusName: busName }, { accountId: options.accountId, region: options.region });
    const account = accountOfPrincipal(principal);
    const orgId = options.organization?.accounts.includes(account) ? options.organization.id : undefined;
    const evaluation = await evaluateAuthorization(
      { ...check, principal, context: { ...check.context, ...(orgId ? { 'aws:PrincipalOrgID': orgId } : {}) } },
      { identityPolicies: identityPoliciesOf(options.identityPolicies, principal, options.accountId), ...(policy ? { resourcePolicy: policy } : {}) },
    );
    return evaluation.decision === 'Allowed' ? undefined : accessDeniedMessage(principal, check.action, check.resource, evaluation);
  };

  const accept = (entry: Record<string, unknown>, principal: string): Answer => {
    const busName = busNameOf(entry.EventBusName);
    const source = entry.Source;
    const detailType = entry.DetailType;
    if (typeof source !== 'string' || typeof detailType !== 'string' || typeof entry.Detail !== 'string') {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source,
      // EventBridge sets the sending account; the caller cannot choose it
      account: accountOfPrincipal(principal),
      time: typeof entry.Time === 'string' ? entry.Time : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: options.region,
      resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
      detail,
      'event-bus-name': busName,
    };
    route(event);
    return { EventId: event.id };
  };

  const route = (event: BusEvent): void => {
    events.push(event);
    for (const waiter of waiters) {
      if (waiter.predicate(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
    for (const rule of rules) {
      if ((rule.eventBusName ?? 'default') !== event['event-bus-name'] || !matchesEventPattern(rule.checkedPattern, event)) continue;
      const delivery = rule.target(event).catch((error: unknown) => options.onDeliveryError?.(rule.name, error));
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    }
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      const target = request.headers['x-amz-target'];
      let body: { Entries?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: unknown };
      } catch {
        reply(400, { __type: 'SerializationException', message: 'The request body is not JSON' });
        return;
      }
      const read = typeof target === 'string' ? answerRuleRead(target, body as Record<string, unknown>, { buses, rules, accountId: options.accountId, region: options.region }) : undefined;
      if (read) {
        reply(read.status, read.body);
        return;
      }
      if (target !== 'AWSEvents.PutEvents') {
        reply(400, { __type: 'UnknownOperationException', message: `The local event bus answers AWSEvents.PutEvents, ListRules, ListTargetsByRule and DescribeRule only, not ${String(target)}` });
        return;
      }
      if (!Array.isArray(body.Entries) || body.Entries.length === 0 || body.Entries.length > 10) {
        reply(400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 entries' });
        return;
      }
      const principal = callerOf(request.headers.authorization, options.accountId, options.identities);
      const entries = body.Entries.map((entry: unknown) => (typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}));
      // every entry is evaluated before any is delivered; a denied entry is never delivered
      Promise.all(entries.map((entry) => refusal(entry, principal)))
        .then((refusals) => {
          const results = entries.map((entry, at) => refusals[at] ?? accept(entry, principal));
          reply(200, { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results });
        })
        .catch((error: unknown) => reply(500, { __type: 'InternalException', message: `local event bus: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const handle = running(server);

  return {
    url: handle.url,
    events,
    // as PutRule does, a pattern EventBridge would refuse is refused here, when the rule is added
    deliver: async (event) => {
      const busName = options.deliverBus ?? 'default';
      const policy = options.policies?.[busName];
      // a cross-account target puts the event as its sending account
      const denial = policy ? await policyDenial({ Source: event.source, DetailType: event['detail-type'] }, busName, policy, `arn:aws:iam::${event.account}:root`) : undefined;
      if (denial !== undefined) {
        options.onDenied?.(busName, `account ${event.account}`);
        throw Object.assign(new Error(`account ${event.account} is not in the organization this bus admits: ${denial}`), { name: 'AccessDeniedException' });
      }
      route({ ...event, 'event-bus-name': busName });
    },
    addRule: (rule) => {
      rules.push({ ...rule, checkedPattern: parseEventPattern(rule.pattern) });
    },
    waitFor: (predicate, timeoutMs = 15_000) => {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<BusEvent>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (event: BusEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching event on the local bus within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    idle: async () => {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
    close: handle.close,
  };
}

/** A bus name, or the name inside a bus ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`). */
function busNameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(value);
  return arn ? arn[1]! : value;
}
