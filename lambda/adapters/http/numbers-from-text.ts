import type { Params } from '../../domain/requests';

/** The integer parameters of the actions and of GET /tasks. */
const NUMBER_FIELDS = ['MaxNumberOfMessagesPerSecond', 'MaxResults', 'limit', 'SentAfter', 'SentBefore', 'MaxMessages'] as const;

/**
 * Query-protocol forms and query strings carry every value as text: an integer written in digits
 * becomes a number, so validation sees what the JSON styles send. Anything else stays text, and
 * validation refuses it. A copy with a null prototype, as the parsed form is.
 */
export function numbersFromText(params: Params): Params {
  const converted: Record<string, unknown> = Object.assign(Object.create(null), params);
  for (const name of NUMBER_FIELDS) {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (typeof value === 'string' && /^-?\d{1,16}$/.test(value)) converted[name] = Number(value);
  }
  return converted;
}
