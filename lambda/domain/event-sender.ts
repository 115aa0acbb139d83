// incoming event --> checkEventSender --> why it must be dropped, or nothing
import { ALARM_SOURCE } from './event-types';
import { quote } from './sqs-error';

/**
 * Whose events the controller acts on. `account` and `region` are set by EventBridge (the sending
 * account, the bus's region), unlike `source`, which whoever calls PutEvents writes: only they may
 * identify a sender. The bus policy and the rules' patterns check the same; this is the third fence.
 */
export interface EventSenderPolicy {
  readonly homeAccount: string;
  readonly homeRegion: string;
  /** accounts whose cancel events are accepted; the home account among them */
  readonly senderAccounts: readonly string[];
}

/** Why an event's sender is not one the controller acts for, or undefined when it is. */
export function refuseEventSender(event: { readonly source: string; readonly account?: string; readonly region?: string }, policy: EventSenderPolicy): string | undefined {
  if (event.account === undefined) return 'the event names no sending account (not delivered by EventBridge)';
  if (event.region !== policy.homeRegion) return `the event comes from region ${quote(event.region)}, not ${policy.homeRegion}`;
  // only AWS emits aws.cloudwatch, and only alarms of this account are ours
  const allowed = event.source === ALARM_SOURCE ? [policy.homeAccount] : policy.senderAccounts;
  if (!allowed.includes(event.account)) return `account ${quote(event.account)} is not an allowed sender of ${event.source === ALARM_SOURCE ? 'alarm' : 'cancel'} events`;
  return undefined;
}
