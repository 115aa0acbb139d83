import { expandDottedKeys, withDottedKeysExpanded } from './dotted-keys';
import { MAX_PATTERN_DEPTH, parsePattern, type PatternDialect } from './parse-pattern';
import { matchesWithinCaps, type PatternNode } from './pattern-node';

/**
 * EventBridge event patterns: the operators SNS filter policies have, plus `wildcard` and
 * `equals-ignore-case` inside `prefix`, `suffix` and `anything-but`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
 */
export interface EventPattern {
  readonly kind: 'event-pattern';
}

interface CheckedEventPattern extends EventPattern {
  readonly root: PatternNode;
}

const EVENT_BRIDGE: PatternDialect = { subject: 'EventPattern', nesting: true, eventBridgeOperators: true };

/** Throws SqsError InvalidParameterValue naming why, as EventBridge refuses a bad pattern. */
export function parseEventPattern(input: unknown): EventPattern {
  const pattern = typeof input === 'string' ? parseJsonText(input) : input;
  const root = parsePattern(expandDottedKeys(pattern, MAX_PATTERN_DEPTH), EVENT_BRIDGE);
  const checked: CheckedEventPattern = { kind: 'event-pattern', root };
  return checked;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // the parser then says it is no JSON object
  }
}

/** An event whose arrays pass SUBJECT_CAPS matches nothing. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return false;
  const expanded = withDottedKeysExpanded(event);
  // undefined: spelling its dotted keys passed SUBJECT_CAPS (matched as-is, `exists: false` would accept it)
  return expanded !== undefined && matchesWithinCaps((pattern as CheckedEventPattern).root, expanded);
}

