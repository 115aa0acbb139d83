// org-ingest's input --> the event to apply: as EventBridge delivers it, or as a dead-letter queue kept it

/**
 * The event in what org-ingest is invoked with. EventBridge delivers the event itself, and its
 * dead-letter queue keeps it as it is; Lambda's on-failure destination keeps a record that wraps it
 * (`requestPayload`). An operator can invoke the function with either kind of parked message body.
 */
export function eventToApply(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const record = input as { requestContext?: unknown; requestPayload?: unknown };
  return record.requestContext !== undefined && typeof record.requestPayload === 'object' && record.requestPayload !== null ? record.requestPayload : input;
}
