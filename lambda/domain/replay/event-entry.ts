// an EventBridge event, as a DLQ message's body holds it, rebuilt as the PutEvents entry that puts it on a bus
/**
 * The fields of a PutEvents entry that an event carries
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html):
 * `source` → Source, `detail-type` → DetailType, `detail` → Detail (as JSON text), `resources` →
 * Resources, `time` → Time. EventBridge sets id, account and region itself
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html).
 */
export interface EventEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly resources: readonly string[];
  /** epoch milliseconds */
  readonly time?: number;
}

/** The entry, or a reason why the text is no EventBridge event. */
export function eventEntryOf(text: string): EventEntry | { readonly reason: string } {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    return { reason: 'the body is not JSON, so not an EventBridge event' };
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return { reason: 'the body is not an EventBridge event (a JSON object)' };
  const fields = event as Record<string, unknown>;
  const source = fields.source;
  const detailType = fields['detail-type'];
  if (typeof source !== 'string' || source === '' || typeof detailType !== 'string' || detailType === '' || !('detail' in fields)) {
    return { reason: 'the body is not an EventBridge event: it lacks source, detail-type or detail' };
  }
  const resources = Array.isArray(fields.resources) ? fields.resources.filter((resource): resource is string => typeof resource === 'string') : [];
  const time = typeof fields.time === 'string' ? Date.parse(fields.time) : Number.NaN;
  return { source, detailType, detail: JSON.stringify(fields.detail ?? {}), resources, ...(Number.isNaN(time) ? {} : { time }) };
}

export function isEventEntry(value: EventEntry | { readonly reason: string }): value is EventEntry {
  return !('reason' in value);
}
