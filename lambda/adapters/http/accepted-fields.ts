import { type Params, SELECTION_FIELDS } from '../../domain/requests';
import { quote, SqsError } from '../../domain/sqs-error';
import type { ActionName } from './action-name';

/**
 * The request fields each action defines, in every style (API.md sections 1 and 7). A field not
 * listed is refused with a 400 naming it, never ignored: a misspelled `DryRun` must not start a
 * real move. A new field becomes accepted by adding it here, where its parser is added.
 */
export const ACCEPTED_FIELDS: Readonly<Record<ActionName, readonly string[]>> = {
  StartMessageMoveTask: ['SourceArn', 'DestinationArn', 'MaxNumberOfMessagesPerSecond', 'Reason', 'Force', ...SELECTION_FIELDS],
  CancelMessageMoveTask: ['TaskHandle', 'Reason'],
  ListMessageMoveTasks: ['SourceArn', 'MaxResults'],
};

/** The Query protocol's own fields, which name the action and the API version rather than carry input. */
export const QUERY_PROTOCOL_FIELDS: readonly string[] = ['Action', 'Version'];

/** How many unknown fields one refusal names; the rest are counted. */
const NAMED_AT_MOST = 5;

export function refuseUnknownFields(action: ActionName, params: Params, options: { query: boolean }): void {
  const accepted = options.query ? [...ACCEPTED_FIELDS[action], ...QUERY_PROTOCOL_FIELDS] : ACCEPTED_FIELDS[action];
  const unknown = Object.keys(params).filter((name) => !accepted.includes(name));
  if (unknown.length === 0) return;
  const named = unknown.slice(0, NAMED_AT_MOST).map((name) => describeField(name, accepted));
  const more = unknown.length > NAMED_AT_MOST ? ` and ${unknown.length - NAMED_AT_MOST} more` : '';
  throw new SqsError(
    'InvalidParameterValue',
    `${action} does not take ${unknown.length === 1 ? 'the field' : 'the fields'} ${named.join(', ')}${more}: it takes ${ACCEPTED_FIELDS[action].join(', ')}`,
  );
}

// The Query protocol spells lists and maps as `Name.1`, `Name.1.Key`: say when a known field came so.
function describeField(name: string, accepted: readonly string[]): string {
  const base = /^([^.]+)\.\d+(?:\.|$)/.exec(name)?.[1];
  if (base !== undefined && accepted.includes(base)) return `${quote(name)} (a list or map encoding of ${base}, which takes one value)`;
  return quote(name);
}
