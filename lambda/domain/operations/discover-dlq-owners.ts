// refreshDlqInventory --> discoverDlqOwners --> ListFunctions, ListFunctionEventInvokeConfigs (a budget of
// functions), ListEventBuses, ListRules, ListTargetsByRule (a budget of rules) --> the queues' owners
import type { DlqTarget } from '../dlq/dead-letter-queue';
import type { DlqInventory } from '../dlq/dlq-inventory';
import type { DlqOwnerReader, RuleRef, RuleTargetDeadLetter } from '../dlq/dlq-owner-reader';
import { OwnerSweep } from '../dlq/owner-sweep';
import { inParallel } from '../in-parallel';

/**
 * Per-function reads of asynchronous invocation configurations per run. Lambda allows 15 requests
 * per second for all its control-plane calls of an account together, deployments included, and does
 * not raise it (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): 100 a
 * minute stays far below it.
 */
export const FUNCTION_READS_PER_RUN = 100;
/** ListTargetsByRule calls per run (one per rule). */
export const RULE_READS_PER_RUN = 300;
/** Lambda reads in flight at once: the quota above is small and shared. */
const FUNCTION_CONCURRENCY = 2;
const RULE_CONCURRENCY = 4;

export interface DiscoveryState {
  readonly functions: OwnerSweep<readonly string[]>;
  readonly rules: OwnerSweep<readonly RuleTargetDeadLetter[]>;
}

/** A new state; the inventory keeps one per process. */
export function newDiscoveryState(): DiscoveryState {
  return { functions: new OwnerSweep(), rules: new OwnerSweep() };
}

export interface DiscoveryOptions {
  /** @default FUNCTION_READS_PER_RUN */
  readonly functionReadsPerRun?: number;
  /** @default RULE_READS_PER_RUN */
  readonly ruleReadsPerRun?: number;
}

export interface DiscoverySummary {
  readonly functions: number;
  readonly rules: number;
  /** ListFunctionEventInvokeConfigs and ListTargetsByRule calls made this run */
  readonly functionsRead: number;
  readonly rulesRead: number;
  /** functions and rules this process has not read yet (their owners are the stored inventory's) */
  readonly unread: number;
}

/**
 * Who fails into which SQS queue: functions through their dead-letter queue (every run, from
 * ListFunctions) or their on-failure destination, rule targets through their dead-letter queue.
 * Answers the owners by queue ARN; queues outside the scope are filtered by the caller.
 */
export async function discoverDlqOwners(
  reader: DlqOwnerReader,
  state: DiscoveryState,
  previous: DlqInventory | undefined,
  now: number,
  options: DiscoveryOptions = {},
): Promise<{ owners: Map<string, DlqTarget[]>; summary: DiscoverySummary }> {
  seed(state, previous);
  const owners = new Map<string, DlqTarget[]>();
  const add = (queueArn: string | undefined, target: DlqTarget) => {
    if (!queueArn || !isSqsArn(queueArn)) return;
    const list = owners.get(queueArn) ?? [];
    if (!list.some((known) => known.arn === target.arn && known.kind === target.kind && known.ruleArn === target.ruleArn)) list.push(target);
    owners.set(queueArn, list);
  };

  const functions = await reader.listFunctions();
  const functionsDue = state.functions.due(functions.map((fn) => fn.functionArn), options.functionReadsPerRun ?? FUNCTION_READS_PER_RUN);
  await inParallel(functionsDue, FUNCTION_CONCURRENCY, async (functionArn) => state.functions.record(functionArn, await reader.onFailureDestinations(functionArn), now));
  for (const fn of functions) {
    add(fn.deadLetterTargetArn, { arn: fn.functionArn, kind: 'function' });
    for (const destination of state.functions.valueOf(fn.functionArn) ?? []) add(destination, { arn: fn.functionArn, kind: 'function' });
  }

  const buses = await reader.listEventBuses();
  const rules = (await inParallel(buses, RULE_CONCURRENCY, (bus) => reader.listRules(bus))).flat();
  const byArn = new Map<string, RuleRef>(rules.map((rule) => [rule.arn, rule]));
  const rulesDue = state.rules.due([...byArn.keys()], options.ruleReadsPerRun ?? RULE_READS_PER_RUN);
  await inParallel(rulesDue, RULE_CONCURRENCY, async (ruleArn) => state.rules.record(ruleArn, await reader.listTargets(byArn.get(ruleArn)!), now));
  for (const ruleArn of byArn.keys()) {
    for (const target of state.rules.valueOf(ruleArn) ?? []) {
      add(target.deadLetterArn, {
        arn: target.targetArn,
        kind: 'rule-target',
        ruleArn,
        ...(target.inputTransformation ? { inputTransformation: target.inputTransformation } : {}),
        ...(target.messageGroupId ? { messageGroupId: target.messageGroupId } : {}),
      });
    }
  }

  const unread = functions.length - countRead(state.functions, functions.map((fn) => fn.functionArn)) + byArn.size - countRead(state.rules, [...byArn.keys()]);
  return { owners, summary: { functions: functions.length, rules: byArn.size, functionsRead: functionsDue.length, rulesRead: rulesDue.length, unread } };
}

/** Only SQS queues are dead-letter queues here: an on-failure destination can also be a topic, a function, a bus or a bucket. */
export function isSqsArn(arn: string): boolean {
  return /^arn:[a-z-]+:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(arn);
}

/** After a cold start: what the stored inventory says each function and rule fails into, until read again. */
function seed(state: DiscoveryState, previous: DlqInventory | undefined): void {
  const functions = new Map<string, string[]>();
  const rules = new Map<string, RuleTargetDeadLetter[]>();
  for (const dlq of previous?.dlqs ?? []) {
    for (const target of dlq.targets) {
      if (target.kind === 'function') functions.set(target.arn, [...(functions.get(target.arn) ?? []), dlq.queueArn]);
      else if (target.ruleArn) {
        const settings = { ...(target.inputTransformation ? { inputTransformation: target.inputTransformation } : {}), ...(target.messageGroupId ? { messageGroupId: target.messageGroupId } : {}) };
        rules.set(target.ruleArn, [...(rules.get(target.ruleArn) ?? []), { targetArn: target.arn, deadLetterArn: dlq.queueArn, ...settings }]);
      }
    }
  }
  state.functions.seed(functions);
  state.rules.seed(rules);
}

function countRead<T>(sweep: OwnerSweep<T>, keys: readonly string[]): number {
  return keys.filter((key) => sweep.hasRead(key)).length;
}
