/**
 * A rule target's InputTransformer, as EventBridge applies it: each InputPathsMap entry reads a
 * JSON path of the event (`$`, `$.detail.x`), and InputTemplate's `<name>` placeholders take the
 * values, raw inside quotes and as JSON outside; `<aws.events.rule-name>` and friends are predefined.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export function transformInput(
  transformer: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string },
  event: Readonly<Record<string, unknown>>,
  ruleName: string,
  ruleArn: string,
): unknown {
  const values: Record<string, unknown> = {
    'aws.events.rule-name': ruleName,
    'aws.events.rule-arn': ruleArn,
    'aws.events.event': event,
    'aws.events.event.json': event,
    'aws.events.event.ingestion-time': event.time,
  };
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values[name] = readPath(event, path);
  const text = transformer.InputTemplate.replace(/("?)<([\w.-]+)>("?)/g, (whole, open: string, name: string, close: string) => {
    if (!Object.hasOwn(values, name)) return whole;
    const value = values[name];
    // "<x>": the value's text inside the template's own quotes; <x>: the value as JSON
    if (open && close) return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(JSON.stringify(value ?? null));
    return `${open}${JSON.stringify(value ?? null)}${close}`;
  });
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readPath(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new Error(`InputPathsMap path ${JSON.stringify(path)} is not read locally (only $ and $.a.b)`);
  let value: unknown = event;
  for (const key of path.slice(2).split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
