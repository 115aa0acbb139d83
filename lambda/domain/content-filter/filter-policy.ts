import { SqsError } from '../sqs-error';

// Placeholder for the shared matcher (issue 14, branch issue-14m), behind the agreed interface:
// exact string and number values only, every key must match. Replaced by that branch's matcher.

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface FilterPolicy {
  readonly scope: FilterPolicyScope;
}

interface ExactPolicy extends FilterPolicy {
  readonly rules: Readonly<Record<string, readonly unknown[]>>;
}

export function parseFilterPolicy(input: unknown, scope: FilterPolicyScope = 'MessageAttributes'): FilterPolicy {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new SqsError('InvalidParameterValue', 'FilterPolicy must be a JSON object (or that object as a JSON string)');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SqsError('InvalidParameterValue', 'FilterPolicy must be a JSON object (or that object as a JSON string)');
  }
  const rules: Record<string, unknown[]> = {};
  for (const [key, allowed] of Object.entries(value)) {
    if (!Array.isArray(allowed) || allowed.some((item) => typeof item !== 'string' && typeof item !== 'number')) {
      throw new SqsError('InvalidParameterValue', `FilterPolicy key ${JSON.stringify(key)} must be an array of exact values`);
    }
    rules[key] = allowed;
  }
  return { scope, rules } as ExactPolicy;
}

export function messageAttributesSubject(attributes: Record<string, { DataType: string; StringValue?: string }>): Record<string, unknown> {
  const subject: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.StringValue === undefined) continue;
    subject[name] = attribute.DataType.startsWith('Number') ? Number(attribute.StringValue) : attribute.StringValue;
  }
  return subject;
}

export function messageBodySubject(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

export function matchesFilterPolicy(policy: FilterPolicy, subject: unknown): boolean {
  if (typeof subject !== 'object' || subject === null) return false;
  const { rules } = policy as ExactPolicy;
  return Object.entries(rules).every(([key, allowed]) => Object.hasOwn(subject, key) && allowed.includes((subject as Record<string, unknown>)[key]));
}
