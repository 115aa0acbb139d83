import { quote, SqsError } from '../sqs-error';
import type { FieldPattern, PatternNode } from './pattern-node';
import { type CidrBlock, type Leaf, type NumericOperator, parseIpAddress, type StringTest, type ValueRule } from './value-rule';

/**
 * Checks a filter policy or an event pattern and turns it into a `PatternNode`. The two languages
 * share their operators; a dialect says what one of them adds or refuses, and its limits.
 */
export interface PatternDialect {
  /** what the caller called it, for error messages: "FilterPolicy", "EventPattern" */
  readonly subject: string;
  /** objects as values: keys of a nested body (SNS MessageBody scope, EventBridge) */
  readonly nesting: boolean;
  /** EventBridge's `wildcard`, and `equals-ignore-case` inside `prefix`, `suffix` and `anything-but` */
  readonly eventBridgeOperators: boolean;
  readonly limits?: PatternLimits;
}

/** SNS's documented limits (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html) */
export interface PatternLimits {
  /** top-level keys (a nested key counts as its parent) in any one choice of `$or` alternatives */
  readonly maxKeys: number;
  /** values multiplied across keys (times nesting depth), summed across `$or` alternatives */
  readonly maxCombinations: number;
  /** numbers in `numeric` conditions lie within ± this */
  readonly maxMagnitude: number;
  readonly maxDecimalPlaces: number;
}

/** Deeper than any sane policy, shallow enough that checking it can never exhaust the stack. */
export const MAX_PATTERN_DEPTH = 32;

export function parsePattern(input: unknown, dialect: PatternDialect): PatternNode {
  const parser = new PatternParser(dialect);
  const node = parser.node(input, [], 0);
  if (dialect.limits) checkLimits(node, dialect);
  return node;
}

class PatternParser {
  constructor(private readonly dialect: PatternDialect) {}

  node(input: unknown, path: readonly string[], depth: number): PatternNode {
    if (depth > MAX_PATTERN_DEPTH) this.fail(`nests deeper than ${MAX_PATTERN_DEPTH} levels`);
    if (!isObject(input)) this.fail(`${this.where(path)}must be a JSON object, got ${describe(input)}`);
    const keys = Object.keys(input);
    if (keys.length === 0) this.fail(`${this.where(path)}must not be an empty object`);
    const fields: FieldPattern[] = [];
    const alternatives: PatternNode[][] = [];
    for (const key of keys) {
      const value = input[key];
      if (key === '$or') {
        alternatives.push(this.alternatives(value, path, depth));
      } else if (Array.isArray(value)) {
        fields.push({ key, rules: this.rules(value, [...path, key]) });
      } else if (isObject(value)) {
        if (!this.dialect.nesting) {
          this.fail(`${this.where([...path, key])}must be an array of values: this scope does not take nested keys (use FilterPolicyScope MessageBody to filter on the body's nested keys)`);
        }
        fields.push({ key, node: this.node(value, [...path, key], depth + 1) });
      } else {
        this.fail(`${this.where([...path, key])}must be an array of values${this.dialect.nesting ? ' or an object of nested keys' : ''}, got ${describe(value)}`);
      }
    }
    return { fields, alternatives };
  }

  private alternatives(value: unknown, path: readonly string[], depth: number): PatternNode[] {
    if (!Array.isArray(value) || value.length < 2) {
      this.fail(`${this.where([...path, '$or'])}must be an array of at least two alternative objects`);
    }
    return value.map((alternative) => this.node(alternative, path, depth + 1));
  }

  private rules(values: readonly unknown[], path: readonly string[]): ValueRule[] {
    if (values.length === 0) this.fail(`${this.where(path)}must not be an empty array`);
    return values.map((value) => this.rule(value, path));
  }

  private rule(value: unknown, path: readonly string[]): ValueRule {
    if (isLeaf(value)) return { kind: 'exact', value: this.leaf(value, path) };
    if (!isObject(value)) this.fail(`${this.where(path)}values must be strings, numbers, true, false, null or operator objects, got ${describe(value)}`);
    const operators = Object.keys(value);
    if (operators.length !== 1) {
      this.fail(`${this.where(path)}an operator object must have exactly one operator, got ${operators.length === 0 ? 'none' : operators.map((name) => quote(name)).join(', ')}`);
    }
    const operator = operators[0] as string;
    const operand = value[operator];
    switch (operator) {
      case 'prefix':
      case 'suffix':
        return this.affix(operator, operand, path);
      case 'equals-ignore-case':
        return { kind: 'equals-ignore-case', text: this.text(operand, operator, path) };
      case 'wildcard':
        if (!this.dialect.eventBridgeOperators) break;
        return { kind: 'wildcard', segments: this.wildcard(operand, path) };
      case 'anything-but':
        return this.anythingBut(operand, path);
      case 'numeric':
        return { kind: 'numeric', conditions: this.numeric(operand, path) };
      case 'exists':
        if (typeof operand !== 'boolean') this.fail(`${this.where(path)}exists must be true or false, got ${describe(operand)}`);
        return { kind: 'exists', present: operand };
      case 'cidr':
        return { kind: 'cidr', network: this.cidr(operand, path) };
    }
    return this.fail(`${this.where(path)}unknown operator ${quote(operator)}; known: ${this.knownOperators().join(', ')}`);
  }

  private knownOperators(): string[] {
    const shared = ['prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'numeric', 'exists', 'cidr'];
    return this.dialect.eventBridgeOperators ? [...shared, 'wildcard'] : shared;
  }

  private leaf(value: Leaf, path: readonly string[]): Leaf {
    if (typeof value === 'number' && !Number.isFinite(value)) this.fail(`${this.where(path)}numbers must be finite`);
    return value;
  }

  private affix(operator: 'prefix' | 'suffix', operand: unknown, path: readonly string[]): StringTest {
    if (isObject(operand) && this.dialect.eventBridgeOperators) {
      const keys = Object.keys(operand);
      if (keys.length === 1 && keys[0] === 'equals-ignore-case') {
        return { kind: operator, text: this.text(operand['equals-ignore-case'], `${operator} equals-ignore-case`, path), ignoreCase: true };
      }
    }
    return { kind: operator, text: this.text(operand, operator, path), ignoreCase: false };
  }

  private text(operand: unknown, operator: string, path: readonly string[]): string {
    if (typeof operand !== 'string') this.fail(`${this.where(path)}${operator} must be a string, got ${describe(operand)}`);
    if (operand.length === 0 && operator.startsWith('anything-but')) this.fail(`${this.where(path)}${operator} must not be an empty string`);
    return operand;
  }

  private anythingBut(operand: unknown, path: readonly string[]): ValueRule {
    if (typeof operand === 'string' || typeof operand === 'number') {
      return { kind: 'anything-but', values: [this.leaf(operand, path)] };
    }
    if (Array.isArray(operand)) {
      if (operand.length === 0) this.fail(`${this.where(path)}anything-but must not be an empty array`);
      const allStrings = operand.every((one) => typeof one === 'string');
      const allNumbers = operand.every((one) => typeof one === 'number');
      if (!allStrings && !allNumbers) this.fail(`${this.where(path)}anything-but's list must hold only strings or only numbers`);
      return { kind: 'anything-but', values: operand.map((one: string | number) => this.leaf(one, path)) };
    }
    if (isObject(operand)) {
      const keys = Object.keys(operand);
      const inner = keys[0];
      if (keys.length !== 1 || inner === undefined) this.fail(`${this.where(path)}anything-but takes one operator object, got ${keys.length} operators`);
      const innerOperand = operand[inner];
      // SNS was recorded refusing anything-but suffix (LocalStack's AWS-validated suite, 2024)
      const allowed = this.dialect.eventBridgeOperators ? ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] : ['prefix'];
      if (allowed.includes(inner)) {
        const texts: unknown[] = Array.isArray(innerOperand) ? innerOperand : [innerOperand];
        if (texts.length === 0) this.fail(`${this.where(path)}anything-but ${inner} must not be an empty array`);
        const tests = texts.map((text): StringTest => {
          if (inner === 'wildcard') return { kind: 'wildcard', segments: this.wildcard(text, path) };
          const checked = this.text(text, `anything-but ${inner}`, path);
          return inner === 'equals-ignore-case' ? { kind: inner, text: checked } : { kind: inner as 'prefix' | 'suffix', text: checked, ignoreCase: false };
        });
        return { kind: 'anything-but-string', tests };
      }
      this.fail(`${this.where(path)}anything-but does not take ${quote(inner)}; it takes a value, a list, ${this.dialect.eventBridgeOperators ? 'prefix, suffix, equals-ignore-case or wildcard' : 'prefix'}`);
    }
    return this.fail(`${this.where(path)}anything-but must be a string, a number, a list of either or an operator object, got ${describe(operand)}`);
  }

  /** `*` matches any text; `\\*` is a literal star and `\\\\` a literal backslash, as in EventBridge. */
  private wildcard(operand: unknown, path: readonly string[]): string[] {
    if (typeof operand !== 'string') this.fail(`${this.where(path)}wildcard must be a string, got ${describe(operand)}`);
    const segments = [''];
    for (let at = 0; at < operand.length; at += 1) {
      const char = operand[at] as string;
      if (char === '\\') {
        const next = operand[at + 1];
        if (next !== '*' && next !== '\\') this.fail(`${this.where(path)}wildcard may escape only * and \\`);
        segments[segments.length - 1] += next;
        at += 1;
      } else if (char === '*') {
        if (operand[at + 1] === '*') this.fail(`${this.where(path)}wildcard must not hold consecutive * characters`);
        segments.push('');
      } else {
        segments[segments.length - 1] += char;
      }
    }
    return segments;
  }

  private numeric(operand: unknown, path: readonly string[]): [NumericOperator, number][] {
    const shape = `numeric must be ["=", n], or one or two comparisons such as [">", 0, "<=", 5]`;
    if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) this.fail(`${this.where(path)}${shape}, got ${describe(operand)}`);
    const conditions: [NumericOperator, number][] = [];
    for (let at = 0; at < operand.length; at += 2) {
      const operator: unknown = operand[at];
      const bound: unknown = operand[at + 1];
      if (!isNumericOperator(operator)) this.fail(`${this.where(path)}numeric has unknown comparison ${describe(operator)}; known: <, <=, =, >, >=`);
      if (typeof bound !== 'number') this.fail(`${this.where(path)}numeric ${operator} must be followed by a number, got ${describe(bound)}`);
      conditions.push([operator, this.numericBound(bound, path)]);
    }
    const [first, second] = conditions;
    if (second !== undefined && first !== undefined) {
      const lower = first[0] === '>' || first[0] === '>=';
      const upper = second[0] === '<' || second[0] === '<=';
      if (!lower || !upper) this.fail(`${this.where(path)}numeric's two comparisons must be a lower bound (> or >=) then an upper bound (< or <=)`);
      if (first[1] >= second[1]) this.fail(`${this.where(path)}numeric's lower bound must be less than its upper bound`);
    }
    return conditions;
  }

  private numericBound(value: number, path: readonly string[]): number {
    const limits = this.dialect.limits;
    if (!Number.isFinite(value)) this.fail(`${this.where(path)}numbers must be finite`);
    if (limits === undefined) return value;
    if (Math.abs(value) > limits.maxMagnitude) this.fail(`${this.where(path)}numbers must lie from -${limits.maxMagnitude} to ${limits.maxMagnitude}, got ${value}`);
    if (decimalPlaces(value) > limits.maxDecimalPlaces) this.fail(`${this.where(path)}numbers may have at most ${limits.maxDecimalPlaces} digits after the decimal point, got ${value}`);
    return value;
  }

  private cidr(operand: unknown, path: readonly string[]): CidrBlock {
    const match = typeof operand === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(operand) : null;
    const address = match ? parseIpAddress(match[1] as string) : undefined;
    const prefixLength = match ? Number(match[2]) : NaN;
    if (!address || prefixLength > (address.version === 4 ? 32 : 128)) this.fail(`${this.where(path)}cidr must be an IP address block such as "10.0.0.0/24", got ${describe(operand)}`);
    return { version: address.version, network: address.value, prefixLength };
  }

  private where(path: readonly string[]): string {
    return path.length === 0 ? '' : `key ${quote(path.join('.'))}: `;
  }

  private fail(why: string): never {
    throw new SqsError('InvalidParameterValue', `${this.dialect.subject} is invalid: ${why}`);
  }
}

function checkLimits(node: PatternNode, dialect: PatternDialect): void {
  const limits = dialect.limits as PatternLimits;
  const keys = mostTopLevelKeys(node);
  if (keys > limits.maxKeys) {
    throw new SqsError('InvalidParameterValue', `${dialect.subject} is invalid: it has ${keys} keys, SNS allows at most ${limits.maxKeys} (nested keys count as their parent)`);
  }
  const combinations = combinationsOf(node, 1);
  if (combinations > limits.maxCombinations) {
    throw new SqsError(
      'InvalidParameterValue',
      `${dialect.subject} is too complex: its values make ${combinations} combinations, SNS allows at most ${limits.maxCombinations} (each value in an anything-but list counts as one)`,
    );
  }
}

/** Top-level keys in the largest choice of `$or` alternatives: SNS counts a nested key as its parent. */
function mostTopLevelKeys(node: PatternNode): number {
  return node.alternatives.reduce((sum, group) => sum + Math.max(...group.map(mostTopLevelKeys)), node.fields.length);
}

/**
 * SNS's complexity: each key's number of values (times its nesting depth, in MessageBody scope)
 * multiplied, `$or` alternatives added. SNS's guide says "multiply the number of values in each array
 * in the filter policy" (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html);
 * we count what the matcher tests, so the values in an `anything-but` list (or its `prefix` list)
 * count one each: otherwise a 256 KB policy of one list of ~26,000 values would count as 1 and cost
 * seconds per message (issue 23).
 */
function combinationsOf(node: PatternNode, depth: number): number {
  const own = node.fields.reduce((product, field) => product * ('node' in field ? combinationsOf(field.node, depth + 1) : valuesTested(field.rules) * depth), 1);
  return node.alternatives.reduce((product, group) => product * group.reduce((sum, alternative) => sum + combinationsOf(alternative, depth), 0), own);
}

/** The values a key's rules test each element against: an operator counts one, a list one per value. */
function valuesTested(rules: readonly ValueRule[]): number {
  return rules.reduce((sum, rule) => sum + (rule.kind === 'anything-but' ? rule.values.length : rule.kind === 'anything-but-string' ? rule.tests.length : 1), 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isNumericOperator(value: unknown): value is NumericOperator {
  return value === '<' || value === '<=' || value === '=' || value === '>' || value === '>=';
}

function decimalPlaces(value: number): number {
  const [, fraction = ''] = String(value).split('.');
  return fraction.replace(/e.*$/, '').length;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return quote(value);
}
