/**
 * CloudFormation's intrinsic functions, resolved to the local stack's physical values: what
 * CloudFormation would put in place of Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split
 * when it creates the stack. Intrinsics reference:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */

/** How the local stack names what the template creates, and where it runs. */
export interface ResolveContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** @default 'amazonaws.com' */
  readonly urlSuffix?: string;
  readonly stackName: string;
  /** what `Ref` of a resource answers (its name, id or URL, by type) */
  ref(logicalId: string): string;
  /** what `Fn::GetAtt` answers */
  getAtt(logicalId: string, attribute: string): string;
}

export class TemplateResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateResolveError';
  }
}

/** Resolves every intrinsic in `value` (objects and lists deeply); plain values stay as they are. */
export function resolveIntrinsics(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, context));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) return resolveFunction(first[0], first[1], context);
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, context)]));
}

/** resolveIntrinsics for a value that must come out a string (an environment variable, a name). */
export function resolveString(value: unknown, context: ResolveContext, where: string): string {
  const resolved = resolveIntrinsics(value, context);
  if (typeof resolved !== 'string') throw new TemplateResolveError(`${where} resolves to ${JSON.stringify(resolved)}, not a string`);
  return resolved;
}

function resolveFunction(name: string, argument: unknown, context: ResolveContext): unknown {
  switch (name) {
    case 'Ref':
      return ref(text(argument, 'Ref'), context);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument) ? argument.map((part) => text(resolveIntrinsics(part, context), 'Fn::GetAtt')) : splitOnce(text(argument, 'Fn::GetAtt'));
      if (!logicalId || !attribute) throw new TemplateResolveError(`Fn::GetAtt needs [logicalId, attribute]; got ${JSON.stringify(argument)}`);
      return context.getAtt(logicalId, attribute);
    }
    case 'Fn::Join': {
      const [separator, parts] = pair(argument, 'Fn::Join');
      const list = resolveIntrinsics(parts, context);
      if (!Array.isArray(list)) throw new TemplateResolveError(`Fn::Join needs a list; got ${JSON.stringify(parts)}`);
      return list.map((part) => text(part, 'Fn::Join')).join(text(separator, 'Fn::Join'));
    }
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(argument) ? pair(argument, 'Fn::Sub') : [argument, {}];
      const resolvedVariables = resolveIntrinsics(variables, context) as Record<string, unknown>;
      return sub(text(template, 'Fn::Sub'), resolvedVariables, context);
    }
    case 'Fn::Select': {
      const [index, list] = pair(argument, 'Fn::Select');
      const resolved = resolveIntrinsics(list, context);
      const at = Number(resolveIntrinsics(index, context));
      if (!Array.isArray(resolved) || !Number.isInteger(at) || at < 0 || at >= resolved.length) throw new TemplateResolveError(`Fn::Select index ${String(index)} is outside ${JSON.stringify(resolved)}`);
      return resolved[at];
    }
    case 'Fn::Split': {
      const [separator, source] = pair(argument, 'Fn::Split');
      return text(resolveIntrinsics(source, context), 'Fn::Split').split(text(separator, 'Fn::Split'));
    }
    default:
      throw new TemplateResolveError(`${name} is not resolved locally (only Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split)`);
  }
}

function ref(name: string, context: ResolveContext): string {
  switch (name) {
    case 'AWS::Partition':
      return context.partition;
    case 'AWS::Region':
      return context.region;
    case 'AWS::AccountId':
      return context.accountId;
    case 'AWS::URLSuffix':
      return context.urlSuffix ?? 'amazonaws.com';
    case 'AWS::StackName':
      return context.stackName;
    default:
      if (name.startsWith('AWS::')) throw new TemplateResolveError(`Ref ${name}: a pseudo parameter not resolved locally`);
      return context.ref(name);
  }
}

/** `${Name}`, `${Resource.Attribute}`, pseudo parameters, and `${!Literal}` for a literal `${Literal}`. */
function sub(template: string, variables: Record<string, unknown>, context: ResolveContext): string {
  return template.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    if (Object.hasOwn(variables, inner)) return text(variables[inner], `Fn::Sub \${${inner}}`);
    if (inner.includes('.') && !inner.startsWith('AWS::')) {
      const [logicalId, attribute] = splitOnce(inner);
      return context.getAtt(logicalId!, attribute!);
    }
    return ref(inner, context);
  });
}

function splitOnce(value: string): [string | undefined, string | undefined] {
  const at = value.indexOf('.');
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

function pair(argument: unknown, name: string): [unknown, unknown] {
  if (!Array.isArray(argument) || argument.length !== 2) throw new TemplateResolveError(`${name} needs two arguments; got ${JSON.stringify(argument)}`);
  return [argument[0], argument[1]];
}

function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new TemplateResolveError(`${where}: expected a string; got ${JSON.stringify(value)}`);
}
