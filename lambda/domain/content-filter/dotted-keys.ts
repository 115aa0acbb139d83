import { SUBJECT_CAPS, SubjectOverCap } from './subject-caps';

/** Events and bodies deeper than this are matched as they are, without spelling their dotted keys as nesting. */
export const MAX_SUBJECT_DEPTH = 64;

/**
 * The subject with its dotted keys spelled as nesting; the same object when it has none (most have
 * none); undefined when spelling them would pass SUBJECT_CAPS.maxExpansionSteps (such a subject matches nothing).
 */
export function withDottedKeysExpanded(subject: unknown, maxSteps: number = SUBJECT_CAPS.maxExpansionSteps): unknown {
  if (!hasDottedKey(subject, 0)) return subject;
  try {
    return new Expansion(MAX_SUBJECT_DEPTH, maxSteps).expand(subject, 0);
  } catch (error) {
    if (error instanceof SubjectOverCap) return undefined;
    throw error;
  }
}

// Plain loops, no closures or entry arrays: this walks every body a MessageBody policy reads (1 MiB at most)
function hasDottedKey(value: unknown, depth: number): boolean {
  if (depth > MAX_SUBJECT_DEPTH || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (typeof element === 'object' && element !== null && hasDottedKey(element, depth + 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key.includes('.')) return true;
    const inner = record[key];
    if (typeof inner === 'object' && inner !== null && hasDottedKey(inner, depth + 1)) return true;
  }
  return false;
}

/**
 * EventBridge and SNS's MessageBody scope read `{"a.b": x}` and `{"a": {"b": x}}` as the same key path, in events and in
 * patterns alike. This spells every dotted key as nesting, so matching needs only one form.
 * Deeper than `maxDepth` the value is left as it is (the pattern parser refuses such depth anyway).
 * Patterns are bounded by their size limit, not by a step budget.
 */
export function expandDottedKeys(value: unknown, maxDepth: number): unknown {
  return new Expansion(maxDepth, Number.POSITIVE_INFINITY).expand(value, 0);
}

type Dict = Record<string, unknown>;

/**
 * One spelling-out, in time linear in the subject: each key and element is visited once, and again
 * only when two spellings of one path merge. Every visit counts against the step budget, so even a
 * hostile body (thousands of `"x.aN"` keys beside a wide `"x"` array, one path spelled many ways)
 * costs bounded time. Two things used to make it quadratic: finding the object under a key by
 * scanning its array of alternatives, and copying that array to add one more.
 */
class Expansion {
  private stepsLeft: number;
  /** the object each dotted key's segment descends into, per parent object and key: found once, then looked up */
  private readonly children = new Map<Dict, Map<string, Dict>>();
  /** arrays this expansion made (copies of the subject's, lists of alternatives): adding an alternative to one is a push, not a copy */
  private readonly ownArrays = new Set<unknown[]>();
  /**
   * objects this expansion made (null prototype): the only ones it writes into. Deeper than maxDepth the
   * subject's own objects are kept as they are, and writing a dotted key into one would change the
   * subject, or, through its inherited `__proto__`, Object.prototype itself.
   */
  private readonly ownObjects = new Set<object>();

  constructor(
    private readonly maxDepth: number,
    maxSteps: number,
  ) {
    this.stepsLeft = maxSteps;
  }

  expand(value: unknown, depth: number): unknown {
    if (depth > this.maxDepth || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      this.spend(value.length);
      const elements: unknown[] = new Array<unknown>(value.length);
      for (let at = 0; at < value.length; at += 1) {
        const element: unknown = value[at];
        elements[at] = typeof element === 'object' && element !== null ? this.expand(element, depth + 1) : element;
      }
      this.ownArrays.add(elements);
      return elements;
    }
    const result = this.newObject();
    const record = value as Dict;
    for (const key of Object.keys(record)) {
      this.spend(1);
      const expanded = this.expand(record[key], depth + 1);
      // a key with an empty segment ("a..b", ".a", "a.") is one key, as it is written
      if (!key.includes('.') || key.startsWith('.') || key.endsWith('.') || key.includes('..')) {
        this.merge(result, key, expanded, this.maxDepth - depth);
        continue;
      }
      let target = result;
      let start = 0;
      for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', start)) {
        target = this.childObject(target, key.slice(start, dot));
        start = dot + 1;
      }
      this.merge(target, key.slice(start), expanded, this.maxDepth - depth);
    }
    return result;
  }

  private spend(steps: number): void {
    this.stepsLeft -= steps;
    if (this.stepsLeft < 0) throw new SubjectOverCap(`spelling its dotted keys as nesting takes more than ${SUBJECT_CAPS.maxExpansionSteps} steps`);
  }

  private childObject(parent: Dict, key: string): Dict {
    let known = this.children.get(parent);
    if (known === undefined) {
      known = new Map();
      this.children.set(parent, known);
    }
    let child = known.get(key);
    if (child === undefined) {
      child = this.firstObjectAt(parent, key);
      known.set(key, child);
    }
    return child;
  }

  // The first object among the key's alternatives (alternatives only grow at their end, so the first stays first);
  // a new one added when there is none: a leaf and a nested key under one name are both kept, as an array's elements are kept.
  private firstObjectAt(parent: Dict, key: string): Dict {
    const existing = parent[key];
    if (this.isOwnObject(existing)) return existing;
    if (Array.isArray(existing)) {
      this.spend(existing.length);
      for (const element of existing) if (this.isOwnObject(element)) return element;
    }
    const child = this.newObject();
    if (existing === undefined) parent[key] = child;
    else this.addAlternative(parent, key, child);
    return child;
  }

  // Both spellings of one path present: objects merge, anything else is kept as alternatives. Merging
  // stops `levels` down (a hostile body nests one path thousands deep both ways): below, both are kept.
  private merge(target: Dict, key: string, value: unknown, levels: number): void {
    const existing = target[key];
    if (existing === undefined) {
      target[key] = value;
    } else if (levels > 0 && this.isOwnObject(existing) && isPlainObject(value)) {
      for (const innerKey of Object.keys(value)) {
        this.spend(1);
        this.merge(existing, innerKey, value[innerKey], levels - 1);
      }
    } else {
      this.addAlternative(target, key, value);
    }
  }

  /** `target[key]` becomes `[existing, value].flat()`, made once and then grown in place. */
  private addAlternative(target: Dict, key: string, value: unknown): void {
    const existing = target[key];
    let list: unknown[];
    if (Array.isArray(existing) && this.ownArrays.has(existing)) {
      list = existing; // each array this expansion made sits under one key only, so it can grow in place
    } else {
      list = Array.isArray(existing) ? [...existing] : [existing];
      this.spend(list.length);
      this.ownArrays.add(list);
      target[key] = list;
    }
    if (Array.isArray(value)) {
      this.spend(value.length);
      for (const element of value) list.push(element);
    } else {
      list.push(value);
    }
  }

  private newObject(): Dict {
    const made = Object.create(null) as Dict;
    this.ownObjects.add(made);
    return made;
  }

  private isOwnObject(value: unknown): value is Dict {
    return typeof value === 'object' && value !== null && this.ownObjects.has(value);
  }
}

function isPlainObject(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
