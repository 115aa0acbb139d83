/**
 * The operators SNS filter policies and EventBridge event patterns share, in their checked form:
 * one rule tests the values found at one key of the subject. Plain data, built only by
 * `parse-pattern.ts`, so matching never meets an unchecked operand.
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html)
 */
export type Leaf = string | number | boolean | null;

export type NumericOperator = '<' | '<=' | '=' | '>' | '>=';

export type StringTest =
  | { readonly kind: 'prefix'; readonly text: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly text: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly text: string }
  /** the literal text between the `*`s: at least one segment; n segments hold n - 1 wildcards */
  | { readonly kind: 'wildcard'; readonly segments: readonly string[] };

export type ValueRule =
  | { readonly kind: 'exact'; readonly value: Leaf }
  | StringTest
  | { readonly kind: 'anything-but'; readonly values: readonly Leaf[] }
  | { readonly kind: 'anything-but-string'; readonly tests: readonly StringTest[] }
  | { readonly kind: 'numeric'; readonly conditions: readonly (readonly [NumericOperator, number])[] }
  | { readonly kind: 'cidr'; readonly network: CidrBlock }
  | { readonly kind: 'exists'; readonly present: boolean };

export interface CidrBlock {
  readonly version: 4 | 6;
  /** the network's leading bits, as a bigint of the address width */
  readonly network: bigint;
  readonly prefixLength: number;
}

/** Lower-cases text; a match's reader does each text once, however many rules read it. */
export interface CaseFolder {
  lowerCase(text: string): string;
}

const EACH_TIME: CaseFolder = { lowerCase: (text) => text.toLowerCase() };

/** Whether one leaf value found in the subject satisfies a value rule (`exists` is decided by the caller). */
export function matchesValue(rule: ValueRule, value: Leaf, folder: CaseFolder = EACH_TIME): boolean {
  switch (rule.kind) {
    case 'exact':
      return sameLeaf(rule.value, value);
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      return typeof value === 'string' && passesStringTest(rule, value, folder);
    // a value of another type (null included) is "anything but" what the rule names
    case 'anything-but':
      return !excludedSet(rule).has(value);
    case 'anything-but-string':
      return typeof value !== 'string' || !rule.tests.some((test) => passesStringTest(test, value, folder));
    case 'numeric':
      return typeof value === 'number' && rule.conditions.every(([operator, bound]) => compare(value, operator, bound));
    case 'cidr':
      return typeof value === 'string' && inCidrBlock(rule.network, value);
    case 'exists':
      return rule.present;
  }
}

function sameLeaf(expected: Leaf, actual: Leaf): boolean {
  return expected === actual;
}

// A Set per list, made on first use: a 150-value list costs one lookup per element, not 150 comparisons.
// (A Set compares as === does for leaves: finite numbers, strings, booleans, null.)
const excludedSets = new WeakMap<ValueRule, ReadonlySet<Leaf>>();

function excludedSet(rule: Extract<ValueRule, { kind: 'anything-but' }>): ReadonlySet<Leaf> {
  let set = excludedSets.get(rule);
  if (set === undefined) {
    set = new Set(rule.values);
    excludedSets.set(rule, set);
  }
  return set;
}

// lower-casing reads the whole text: the folder does each value and each rule's text once per match
function passesStringTest(test: StringTest, value: string, folder: CaseFolder): boolean {
  switch (test.kind) {
    case 'prefix':
      return test.ignoreCase ? folder.lowerCase(value).startsWith(folder.lowerCase(test.text)) : value.startsWith(test.text);
    case 'suffix':
      return test.ignoreCase ? folder.lowerCase(value).endsWith(folder.lowerCase(test.text)) : value.endsWith(test.text);
    case 'equals-ignore-case':
      return folder.lowerCase(value) === folder.lowerCase(test.text);
    case 'wildcard':
      return matchesWildcard(test.segments, value);
  }
}

/**
 * Glob matching without a regular expression: the first segment starts the value, the last ends it,
 * the ones between are found left to right. Earliest placement is always safe, so this never
 * backtracks (a regular expression with many `*` can take exponential time on hostile values).
 */
function matchesWildcard(segments: readonly string[], value: string): boolean {
  const first = segments[0] as string;
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] as string;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let from = first.length;
  const end = value.length - last.length;
  for (const segment of segments.slice(1, -1)) {
    const at = value.indexOf(segment, from);
    if (at === -1 || at + segment.length > end) return false;
    from = at + segment.length;
  }
  return true;
}

function compare(value: number, operator: NumericOperator, bound: number): boolean {
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '=':
      return value === bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
  }
}

function inCidrBlock(block: CidrBlock, text: string): boolean {
  const address = parseIpAddress(text);
  if (address === undefined || address.version !== block.version) return false;
  const width = block.version === 4 ? 32 : 128;
  const shift = BigInt(width - block.prefixLength);
  return address.value >> shift === block.network >> shift;
}

/** An IPv4 dotted quad or an IPv6 address (with `::` shortening) as a bigint; undefined when neither. */
export function parseIpAddress(text: string): { version: 4 | 6; value: bigint } | undefined {
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (ipv4) {
    const octets = ipv4.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    return { version: 4, value: octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n) };
  }
  if (!/^[0-9a-fA-F:]{2,39}$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return { version: 6, value: groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n) };
}
