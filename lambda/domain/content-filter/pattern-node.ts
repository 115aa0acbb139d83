import { SubjectOverCap, SubjectReader } from './subject-caps';
import { type Leaf, matchesValue, type ValueRule } from './value-rule';

/**
 * A checked filter policy or event pattern: keys that must all match, and `$or` groups of which
 * one alternative each must match. Matching is pure: data in, boolean out.
 */
export interface PatternNode {
  readonly fields: readonly FieldPattern[];
  /** every group must have one matching alternative (`$or`) */
  readonly alternatives: readonly (readonly PatternNode[])[];
}

export type FieldPattern =
  | { readonly key: string; readonly rules: readonly ValueRule[] }
  | { readonly key: string; readonly node: PatternNode };

/** A subject whose arrays pass SUBJECT_CAPS matches nothing: reading it all could take seconds. */
export function matchesWithinCaps(node: PatternNode, subject: unknown): boolean {
  try {
    return matchesNode(node, subject, new SubjectReader());
  } catch (error) {
    if (error instanceof SubjectOverCap) return false;
    throw error;
  }
}

function matchesNode(node: PatternNode, subject: unknown, reader: SubjectReader): boolean {
  for (const field of node.fields) {
    const value = valueAt(subject, field.key);
    const matched = 'node' in field ? matchesNested(field.node, value, reader) : matchesRules(field.rules, value, reader);
    if (!matched) return false;
  }
  return node.alternatives.every((group) => group.some((alternative) => matchesNode(alternative, subject, reader)));
}

// Own properties only: a key such as "__proto__" or "constructor" names a field, never the prototype.
function valueAt(subject: unknown, key: string): unknown {
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return undefined;
  return Object.hasOwn(subject, key) ? (subject as Record<string, unknown>)[key] : undefined;
}

// An array of objects matches when one of its objects matches as a whole, so conditions on two keys
// are never met by two different elements.
function matchesNested(node: PatternNode, value: unknown, reader: SubjectReader): boolean {
  if (!Array.isArray(value)) return matchesNode(node, value, reader);
  const objects = reader.elementsOf(value).filter((element) => typeof element === 'object' && element !== null);
  return objects.length === 0 ? matchesNode(node, undefined, reader) : objects.some((element) => matchesNode(node, element, reader));
}

/** A key matches when any of its rules accepts any of its values (an array's elements count one by one). */
function matchesRules(rules: readonly ValueRule[], value: unknown, reader: SubjectReader): boolean {
  const leaves = leavesOf(value, reader);
  return rules.some((rule) => (rule.kind === 'exists' ? leaves.length > 0 === rule.present : leaves.some((leaf) => matchesValue(rule, leaf, reader))));
}

// Objects are not leaves: `exists` and every value operator apply to leaf values only, as in EventBridge.
function leavesOf(value: unknown, reader: SubjectReader): Leaf[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? reader.elementsOf(value) : [value];
  return values.filter((element): element is Leaf => element === null || ['string', 'number', 'boolean'].includes(typeof element));
}
