/**
 * EventBridge event pattern matching for the local event bus: the subset our rules use —
 * value lists, `prefix`, `anything-but`, `exists`, `numeric` and nested objects
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html).
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  if (typeof event !== 'object' || event === null) return false;
  for (const [field, expected] of Object.entries(pattern)) {
    const value = Object.hasOwn(event, field) ? (event as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(expected)) {
      if (!matchesAny(value, expected)) return false;
    } else if (!matchesPattern(value, expected as EventPattern)) {
      return false;
    }
  }
  return true;
}

function matchesAny(value: unknown, rules: readonly unknown[]): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (typeof rule === 'object' && rule !== null) {
      const [operator, operand] = Object.entries(rule)[0] ?? [];
      if (operator === 'exists') return (value !== undefined) === operand;
      return values.some((one) => matchesOperator(one, operator, operand));
    }
    return values.some((one) => one === rule);
  });
}

function matchesOperator(value: unknown, operator: string | undefined, operand: unknown): boolean {
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && typeof operand === 'string' && value.startsWith(operand);
    case 'suffix':
      return typeof value === 'string' && typeof operand === 'string' && value.endsWith(operand);
    case 'anything-but': {
      if (value === undefined) return false;
      const excluded = Array.isArray(operand) ? operand : [operand];
      return !excluded.includes(value);
    }
    case 'numeric': {
      if (typeof value !== 'number' || !Array.isArray(operand)) return false;
      for (let at = 0; at + 1 < operand.length; at += 2) {
        const bound = operand[at + 1] as number;
        const ok = { '<': value < bound, '<=': value <= bound, '=': value === bound, '>': value > bound, '>=': value >= bound }[operand[at] as string];
        if (!ok) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
