import type { RuleDelivery } from '../../config/event-patterns';
import type { IncomingEvent } from '../../domain/event-requests';

/** Named in cancelledBy when a target delivers the bare event, without the rule-name wrapper. */
export const UNNAMED_RULE = '(unnamed)';

export type IncomingEventReading = { readonly ok: true; readonly event: IncomingEvent } | { readonly ok: false; readonly reason: string };

/**
 * A rule target's payload → the domain's IncomingEvent. The stack's targets deliver
 * `{ruleName, event}` (see RuleDelivery); a bare EventBridge event is accepted too.
 */
export function toIncomingEvent(payload: unknown): IncomingEventReading {
  if (!isObject(payload)) return { ok: false, reason: 'the payload is not an EventBridge event (not a JSON object)' };
  const wrapped = typeof payload.ruleName === 'string' && isObject(payload.event);
  const event = wrapped ? (payload as unknown as RuleDelivery<Record<string, unknown>>).event : payload;
  const source = event.source;
  const detailType = event['detail-type'];
  if (typeof source !== 'string' || typeof detailType !== 'string') {
    return { ok: false, reason: 'the payload is not an EventBridge event: "source" and "detail-type" must be strings' };
  }
  return {
    ok: true,
    event: {
      ...(typeof event.id === 'string' ? { id: event.id } : {}),
      source,
      ...(typeof event.account === 'string' ? { account: event.account } : {}),
      ...(typeof event.region === 'string' ? { region: event.region } : {}),
      detailType,
      detail: event.detail,
      ruleName: wrapped ? (payload.ruleName as string) : UNNAMED_RULE,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
