import { quote, SqsError } from '../sqs-error';
import { expandDottedKeys, withDottedKeysExpanded } from './dotted-keys';
import { MAX_PATTERN_DEPTH, parsePattern, type PatternDialect } from './parse-pattern';
import { matchesWithinCaps, type PatternNode } from './pattern-node';
import { SUBJECT_CAPS } from './subject-caps';

/**
 * SNS subscription filter policies, matched as SNS matches them, so a policy that works on an SNS
 * subscription selects the same messages here
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html).
 */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export const FILTER_POLICY_SCOPES: readonly FilterPolicyScope[] = ['MessageAttributes', 'MessageBody'];

export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
}

/** The checked policy behind the opaque `FilterPolicy`: callers hold it without depending on its shape. */
interface CheckedFilterPolicy extends FilterPolicy {
  readonly root: PatternNode;
}

/** SNS's documented limits (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html) */
export const SNS_FILTER_POLICY_LIMITS = {
  maxKeys: 5,
  maxCombinations: 150,
  maxMagnitude: 1_000_000_000,
  maxDecimalPlaces: 5,
  /** bytes of the policy's JSON */
  maxSize: 256 * 1024,
} as const;

const dialectOf = (scope: FilterPolicyScope, limits: boolean): PatternDialect => ({
  subject: 'FilterPolicy',
  nesting: scope === 'MessageBody',
  eventBridgeOperators: false,
  ...(limits ? { limits: SNS_FILTER_POLICY_LIMITS } : {}),
});

/** Accepts the policy as an object or as a JSON string; throws SqsError InvalidParameterValue naming why. */
export function parseFilterPolicy(input: unknown, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy {
  if (!FILTER_POLICY_SCOPES.includes(scope)) {
    throw new SqsError('InvalidParameterValue', `FilterPolicyScope must be MessageAttributes or MessageBody, got ${quote(scope)}`);
  }
  const policy = typeof input === 'string' ? parseJsonText(input) : input;
  // in the body, "a.b" and {"a": {"b"}} name the same key, as in SNS; attribute names may hold dots
  const root = parsePattern(scope === 'MessageBody' ? expandDottedKeys(policy, MAX_PATTERN_DEPTH) : policy, dialectOf(scope, true));
  // the tree is checked and bounded in depth, so measuring its JSON cannot overflow the stack
  const size = typeof input === 'string' ? Buffer.byteLength(input) : Buffer.byteLength(JSON.stringify(policy));
  if (size > SNS_FILTER_POLICY_LIMITS.maxSize) {
    throw new SqsError('InvalidParameterValue', `FilterPolicy is invalid: it is ${size} bytes of JSON, SNS allows at most ${SNS_FILTER_POLICY_LIMITS.maxSize}`);
  }
  const checked: CheckedFilterPolicy = { scope, root };
  return checked;
}

/**
 * A policy a start admitted earlier, as a task's record keeps it: checked again for its shape, not
 * against the complexity and key limits, which may have tightened since (issue 23 began counting
 * each anything-but value). A task started before stays able to finish; SUBJECT_CAPS bound its work.
 */
export function parseRecordedFilterPolicy(text: string, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy {
  const policy = parseJsonText(text);
  const root = parsePattern(scope === 'MessageBody' ? expandDottedKeys(policy, MAX_PATTERN_DEPTH) : policy, dialectOf(scope, false));
  const checked: CheckedFilterPolicy = { scope, root };
  return checked;
}

function parseJsonText(text: string): unknown {
  if (Buffer.byteLength(text) > SNS_FILTER_POLICY_LIMITS.maxSize) {
    throw new SqsError('InvalidParameterValue', `FilterPolicy is invalid: it is ${Buffer.byteLength(text)} bytes of JSON, SNS allows at most ${SNS_FILTER_POLICY_LIMITS.maxSize}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SqsError('InvalidParameterValue', 'FilterPolicy is invalid: it is not valid JSON');
  }
}

/**
 * SQS message attributes → what SNS matches a MessageAttributes policy against: String as text,
 * Number as a number, String.Array as its elements; Binary is ignored, as SNS ignores it.
 * Custom types (`Number.float`, `String.id`) count as their base type.
 */
export function messageAttributesSubject(attributes: Record<string, { DataType: string; StringValue?: string }>): Record<string, unknown> {
  const subject: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const value = attributeValue(attribute);
    if (value !== undefined) Object.defineProperty(subject, name, { value, enumerable: true });
  }
  return subject;
}

function attributeValue(attribute: { DataType: string; StringValue?: string }): unknown {
  const text = attribute.StringValue;
  if (text === undefined) return undefined;
  const baseType = attribute.DataType.split('.')[0];
  if (attribute.DataType === 'String.Array') return arrayOrText(text);
  if (baseType === 'Number') {
    const number = Number(text);
    return text.trim() !== '' && Number.isFinite(number) ? number : text;
  }
  return baseType === 'String' ? text : undefined;
}

function arrayOrText(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : text;
  } catch {
    return text;
  }
}

/**
 * Body text → subject for MessageBody scope (undefined when not a JSON object, or longer than
 * SUBJECT_CAPS.maxBodyBytes: matches nothing).
 */
export function messageBodySubject(body: string): unknown {
  // a string of n UTF-16 units is n to 3n bytes of UTF-8: count them only when the cheap test cannot tell
  if (body.length > SUBJECT_CAPS.maxBodyBytes || (body.length * 3 > SUBJECT_CAPS.maxBodyBytes && Buffer.byteLength(body) > SUBJECT_CAPS.maxBodyBytes)) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A subject whose arrays pass SUBJECT_CAPS matches nothing, as a body that is no JSON matches nothing. */
export function matchesFilterPolicy(policy: FilterPolicy, subject: unknown): boolean {
  // a body that is no JSON object matches no body policy, not even one of `exists: false` keys
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return false;
  const checked = policy as CheckedFilterPolicy;
  if (checked.scope === 'MessageAttributes') return matchesWithinCaps(checked.root, subject);
  const expanded = withDottedKeysExpanded(subject);
  // undefined: spelling its dotted keys passed SUBJECT_CAPS (matched as-is, `exists: false` would accept it)
  return expanded !== undefined && matchesWithinCaps(checked.root, expanded);
}
