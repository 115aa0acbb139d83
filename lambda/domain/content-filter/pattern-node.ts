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

export function matchesNode(node: PatternNode, subject: unknown): boolean {
  for (const field of node.fields) {
    const value = valueAt(subject, field.key);
    const matched = 'node' in field ? matchesNested(field.node, value) : matchesRules(field.rules, value);
    if (!matched) return false;
  }
  return node.alternatives.every((group) => group.some((alternative) => matchesNode(alternative, subject)));
}

// Own properties only: a key such as "__proto__" or "constructor" names a field, never the prototype.
function valueAt(subject: unknown, key: string): unknown {
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) return undefined;
  return Object.hasOwn(subject, key) ? (subject as Record<string, unknown>)[key] : undefined;
}

// An array of objects matches when one of its objects matches as a whole, so conditions on two keys
// are never met by two different elements.
function matchesNested(node: PatternNode, value: unknown): boolean {
  if (!Array.isArray(value)) return matchesNode(node, value);
  const objects = flatten(value).filter((element) => typeof element === 'object' && element !== null);
  return objects.length === 0 ? matchesNode(node, undefined) : objects.some((element) => matchesNode(node, element));
}

/** A key matches when any of its rules accepts any of its values (an array's elements count one by one). */
function matchesRules(rules: readonly ValueRule[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return rules.some((rule) => (rule.kind === 'exists' ? leaves.length > 0 === rule.present : leaves.some((leaf) => matchesValue(rule, leaf))));
}

// Objects are not leaves: `exists` and every value operator apply to leaf values only, as in EventBridge.
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? flatten(value) : [value];
  return values.filter((element): element is Leaf => element === null || ['string', 'number', 'boolean'].includes(typeof element));
}

/**
 * The elements of nested arrays, in order, without recursion: a message body can nest arrays
 * deeper than the stack allows (`Array.prototype.flat` recurses).
 */
function flatten(array: readonly unknown[]): unknown[] {
  const elements: unknown[] = [];
  const pending: (readonly unknown[])[] = [array];
  const positions: number[] = [0];
  while (pending.length > 0) {
    const top = pending.length - 1;
    const current = pending[top] as readonly unknown[];
    const at = positions[top] as number;
    if (at === current.length) {
      pending.pop();
      positions.pop();
      continue;
    }
    positions[top] = at + 1;
    const element = current[at];
    if (Array.isArray(element)) {
      pending.push(element);
      positions.push(0);
    } else {
      elements.push(element);
    }
  }
  return elements;
}
