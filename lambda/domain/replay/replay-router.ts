// the mover's decision for a replay: selection first, then the route each message names (replay-route.ts)
import type { DlqMessage } from '../dlq-message';
import { type MessageSelection, selects, type Verdict } from '../message-selection';
import type { TaskRecord } from '../task-record';
import { isRoute, type ReplayContext, replayRoute, type Route, type RouteOutcome } from './replay-route';
import type { TargetArn } from './target-arn';

/** Which targets the configuration lets the mover deliver to (functions, topics, buses and queues). */
export interface ReplayScope {
  allows(target: TargetArn): boolean;
}

export type Router = (message: DlqMessage) => RouteOutcome;

/** A replay task's router (targets outside `scope` unroutable); undefined for any other task (its messages go to DestinationArn or their source queue). */
export function routerOf(record: TaskRecord, scope?: ReplayScope): Router | undefined {
  if (record.kind !== 'replay') return undefined;
  const context: ReplayContext = {
    ...(record.destinationArn ? { destinationArn: record.destinationArn } : {}),
    owningFunctions: record.replayFunctions ?? [],
    ...(record.replayRuleTargets ? { ruleTargets: record.replayRuleTargets } : {}),
    // no scope configured: no target is allowed (the configuration names every one)
    allows: (target: TargetArn) => scope?.allows(target) ?? false,
  };
  return (message) => replayRoute(message, context);
}

/** A replayed message's verdict; a route found is kept in `routes` by receipt handle, for the delivery. */
export function replayVerdict(selection: MessageSelection, message: DlqMessage, router: Router, routes: Map<string, Route>): Verdict {
  if (!selects(selection, message)) return 'skip';
  const route = router(message);
  if (!isRoute(route)) return 'unroutable';
  routes.set(message.receiptHandle, route);
  return 'move';
}

/** What the destination receives for a routed message: the payload alone, as the target's service delivers an event (no DLQ attributes); on a FIFO queue, the rule target's group. */
export function routedMessage(message: DlqMessage, route: Route): DlqMessage {
  const { messageGroupId: _group, ...rest } = message;
  return { ...rest, body: route.payload, messageAttributes: {}, ...(route.messageGroupId === undefined ? {} : { messageGroupId: route.messageGroupId }) };
}
