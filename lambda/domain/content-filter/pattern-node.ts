import { isLeaf, SubjectOverCap, SubjectReader } from './subject-caps';
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
  const objects = reader.objectsOf(value);
  return objects.length === 0 ? matchesNode(node, undefined, reader) : objects.some((element) => matchesNode(node, element, reader));
}

/** A key matches when any of its rules accepts any of its values (an array's elements count one by one). */
function matchesRules(rules: readonly ValueRule[], value: unknown, reader: SubjectReader): boolean {
  const leaves = leavesOf(value, reader);
  const plan = planOf(rules);
  if (leaves.some((leaf) => plan.exact.has(leaf) || (typeof leaf === 'string' && plan.folded.size > 0 && plan.folded.has(reader.lowerCase(leaf))))) return true;
  return plan.others.some((rule) => (rule.kind === 'exists' ? leaves.length > 0 === rule.present : leaves.some((leaf) => matchesValue(rule, leaf, reader))));
}

/**
 * A key's rules as the matcher uses them: exact values and `equals-ignore-case` texts in Sets (one
 * lookup per element however many values the key lists), the other rules tested one by one. Made on
 * first use and kept beside the checked policy, which never changes.
 */
interface RulePlan {
  readonly exact: ReadonlySet<Leaf>;
  readonly folded: ReadonlySet<string>;
  readonly others: readonly ValueRule[];
}

const plans = new WeakMap<readonly ValueRule[], RulePlan>();

function planOf(rules: readonly ValueRule[]): RulePlan {
  let plan = plans.get(rules);
  if (plan === undefined) {
    const exact = new Set<Leaf>();
    const folded = new Set<string>();
    const others: ValueRule[] = [];
    for (const rule of rules) {
      if (rule.kind === 'exact') exact.add(rule.value);
      else if (rule.kind === 'equals-ignore-case') folded.add(rule.text.toLowerCase());
      else others.push(rule);
    }
    plan = { exact, folded, others };
    plans.set(rules, plan);
  }
  return plan;
}

// Objects are not leaves: `exists` and every value operator apply to leaf values only, as in EventBridge.
function leavesOf(value: unknown, reader: SubjectReader): readonly Leaf[] {
  if (Array.isArray(value)) return reader.leavesOf(value);
  return isLeaf(value) ? [value] : [];
}
