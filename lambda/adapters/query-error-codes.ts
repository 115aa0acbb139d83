/**
 * SQS's legacy Query protocol names some errors differently from its JSON protocol: the HTTP adapter
 * answers the Query name (`x-amzn-query-error`, `<ErrorResponse>`), the SQS adapter reads it back.
 */
const QUERY_CODES: Readonly<Record<string, string>> = {
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
};

export function queryCodeOf(code: string): string {
  return QUERY_CODES[code] ?? code;
}

export function codeOfQueryCode(queryCode: string): string {
  return Object.keys(QUERY_CODES).find((code) => QUERY_CODES[code] === queryCode) ?? queryCode;
}
