/** Events and bodies deeper than this are matched as they are, without spelling their dotted keys as nesting. */
export const MAX_SUBJECT_DEPTH = 64;

/** The subject with its dotted keys spelled as nesting; the same object when it has none (most have none). */
export function withDottedKeysExpanded(subject: unknown): unknown {
  return hasDottedKey(subject, 0) ? expandDottedKeys(subject, MAX_SUBJECT_DEPTH) : subject;
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
 */
export function expandDottedKeys(value: unknown, maxDepth: number, depth = 0): unknown {
  if (depth > maxDepth) return value;
  if (Array.isArray(value)) return value.map((element) => expandDottedKeys(element, maxDepth, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, inner] of Object.entries(value)) {
    const segments = key.split('.');
    const path = segments.every((segment) => segment.length > 0) ? segments : [key];
    const leafKey = path.pop() as string;
    let target = result;
    for (const segment of path) target = childObject(target, segment);
    merge(target, leafKey, expandDottedKeys(inner, maxDepth, depth + 1), maxDepth - depth);
  }
  return result;
}

function childObject(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = parent[key];
  if (isPlainObject(existing)) return existing;
  const inArray = Array.isArray(existing) ? existing.find(isPlainObject) : undefined;
  if (inArray) return inArray;
  const child: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  // a leaf and a nested key under one name: keep both, as an array's elements are kept
  parent[key] = existing === undefined ? child : [existing, child].flat();
  return child;
}

// Both spellings of one path present: objects merge, anything else is kept as alternatives. Merging
// stops `levels` down (a hostile body nests one path thousands deep both ways): below, both are kept.
function merge(target: Record<string, unknown>, key: string, value: unknown, levels: number): void {
  const existing = target[key];
  if (existing === undefined) {
    target[key] = value;
  } else if (levels > 0 && isPlainObject(existing) && isPlainObject(value)) {
    for (const [innerKey, innerValue] of Object.entries(value)) merge(existing, innerKey, innerValue, levels - 1);
  } else {
    target[key] = [existing, value].flat();
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
