import type { Params } from '../../domain/requests';

/** The integer parameters of the actions and of GET /tasks, with the most digits each may have. */
const NUMBER_FIELDS: Readonly<Record<string, number>> = {
  MaxNumberOfMessagesPerSecond: 10,
  MaxResults: 10,
  limit: 10,
  // epoch milliseconds have 13 digits
  SentAfter: 16,
  SentBefore: 16,
  MaxMessages: 16,
};

/**
 * Query-protocol forms and query strings carry every value as text: an integer written in digits
 * becomes a number, so validation sees what the JSON styles send. Anything else stays text, and
 * validation refuses it. A copy with a null prototype, as the parsed form is.
 */
export function numbersFromText(params: Params): Params {
  const converted: Record<string, unknown> = Object.assign(Object.create(null), params);
  for (const [name, digits] of Object.entries(NUMBER_FIELDS)) {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (typeof value === 'string' && new RegExp(`^-?\\d{1,${digits}}$`).test(value)) converted[name] = Number(value);
  }
  return converted;
}
