import { resolveIntrinsics, resolveString, TemplateResolveError } from './intrinsics';
import { type CfnResource, type CfnTemplate, constructIdOf, localResolveContext } from './local-names';

/** An IAM policy document as the template holds it, intrinsics resolved: plain JSON for a policy evaluator. */
export type PolicyDocument = Readonly<Record<string, unknown>> & {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
};

export interface FunctionDescription {
  readonly logicalId: string;
  readonly functionName: string;
  /** Environment.Variables, intrinsics resolved to local names */
  readonly env: Readonly<Record<string, string>>;
  /** the role's local name: the function signs its calls with it as the access key id */
  readonly roleName: string;
  readonly roleArn: string;
  /** identity policies attached to the role: AWS::IAM::Policy resources and the role's inline Policies */
  readonly identityPolicies: readonly { readonly name: string; readonly document: PolicyDocument }[];
  /** managed policies by ARN (their documents are not in the template: AWSLambdaBasicExecutionRole's logs rights) */
  readonly managedPolicyArns: readonly string[];
}

export interface RuleTargetDescription {
  readonly id: string;
  readonly arn: string;
  /** the Lambda entry the target invokes, when it is one of ours */
  readonly entry?: string;
  readonly input?: string;
  readonly inputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string };
}

export interface RuleDescription {
  readonly logicalId: string;
  /** its local name (the construct id when the caller names none) */
  readonly name: string;
  readonly constructId?: string;
  /** @default 'default' */
  readonly eventBusName: string;
  readonly eventPattern?: object;
  readonly scheduleExpression?: string;
  readonly enabled: boolean;
  readonly targets: readonly RuleTargetDescription[];
}

export interface LambdaPermissionDescription {
  readonly entry?: string;
  readonly functionArn: string;
  readonly action: string;
  readonly principal: string;
  readonly sourceArn?: string;
}

/** What the deployed stack has, as plain data for the local stack and its policy evaluator. */
export interface StackDescription {
  readonly functions: Readonly<Record<string, FunctionDescription>>;
  /** the REST API's resource policy, `execute-api:/...` expanded to full method ARNs; @default - no API */
  readonly apiResourcePolicy?: PolicyDocument;
  /** bus name → its resource policy (AWS::Events::EventBusPolicy statements and the bus's own Policy) */
  readonly buses: Readonly<Record<string, PolicyDocument>>;
  readonly rules: readonly RuleDescription[];
  readonly lambdaPermissions: readonly LambdaPermissionDescription[];
  /** the template's S3 buckets by construct id (`Archive/Bucket` → its local name): created in the S3 emulator at start */
  readonly buckets: Readonly<Record<string, string>>;
}

export interface DescribeOptions {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  /** the Lambda entry names: each has an output `<Entry>FunctionName` (lib/redrive-controller-stack.ts) */
  readonly entries: readonly string[];
  /** an entry's local function name; its role gets the same name */
  readonly functionName: (entry: string) => string;
  /** the local name of the template's one DynamoDB table */
  readonly tableName: string;
  /** the local REST API's id (requestContext.apiId, API_GATEWAY_ID) */
  readonly apiId: string;
  /** rule construct id → its local name; @default - the construct id */
  readonly ruleNames?: Readonly<Record<string, string>>;
  /** a queue's URL locally; @default - SQS's public URL form */
  readonly queueUrl?: (name: string) => string;
}

/** Reads the synthesized template: functions, their roles' policies, the API's and buses' policies, rules, permissions. */
export function describeStack(template: CfnTemplate, options: DescribeOptions): StackDescription {
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);

  const entryOf = new Map<string, string>();
  for (const entry of options.entries) {
    const output = template.Outputs?.[`${pascal(entry)}FunctionName`]?.Value as { Ref?: unknown } | undefined;
    if (typeof output?.Ref !== 'string') throw new TemplateResolveError(`the template has no output ${pascal(entry)}FunctionName naming the ${entry} function`);
    entryOf.set(output.Ref, entry);
  }
  const names: Record<string, string> = {};
  const roleOf = (functionResource: CfnResource): string | undefined => {
    const role = functionResource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
    return role?.['Fn::GetAtt']?.[0];
  };
  for (const [logicalId, entry] of entryOf) {
    const resource = template.Resources[logicalId];
    if (resource?.Type !== 'AWS::Lambda::Function') throw new TemplateResolveError(`${logicalId} (the ${entry} function) is not an AWS::Lambda::Function`);
    names[logicalId] = options.functionName(entry);
    const role = roleOf(resource);
    if (role) names[role] = options.functionName(entry);
  }
  const tables = ofType('AWS::DynamoDB::Table');
  if (tables.length > 1) throw new TemplateResolveError(`the template has ${tables.length} DynamoDB tables; the local stack names one`);
  for (const [logicalId] of tables) names[logicalId] = options.tableName;
  for (const [logicalId] of ofType('AWS::ApiGateway::RestApi')) names[logicalId] = options.apiId;
  // a bucket CloudFormation would name: locally `redrive-<its construct path, kebab-case>` (S3 names are lowercase)
  const buckets: Record<string, string> = {};
  for (const [logicalId, resource] of ofType('AWS::S3::Bucket')) {
    const path = bucketPathOf(resource) ?? logicalId;
    names[logicalId] = typeof resource.Properties?.BucketName === 'string' ? resource.Properties.BucketName : localBucketName(path);
    buckets[path] = names[logicalId];
  }
  for (const [logicalId, resource] of ofType('AWS::Events::Rule')) {
    const id = constructIdOf(resource);
    if (id && options.ruleNames?.[id]) names[logicalId] = options.ruleNames[id];
    else if (typeof resource.Properties?.Name !== 'string') names[logicalId] = id ?? logicalId;
  }
  const context = localResolveContext(template, {
    partition: options.partition,
    region: options.region,
    accountId: options.accountId,
    stackName: options.stackName,
    names,
    ...(options.queueUrl ? { queueUrl: options.queueUrl } : {}),
  });
  const resolve = <T>(value: unknown) => resolveIntrinsics(value, context) as T;
  const functionArnEntry = new Map([...entryOf].map(([logicalId, entry]) => [context.getAtt(logicalId, 'Arn'), entry]));

  const policies = ofType('AWS::IAM::Policy');
  const functions: Record<string, FunctionDescription> = {};
  for (const [logicalId, entry] of entryOf) {
    const resource = template.Resources[logicalId]!;
    const roleId = roleOf(resource);
    if (!roleId) throw new TemplateResolveError(`the ${entry} function's Role is not a role of the template`);
    const role = template.Resources[roleId]!;
    const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const attached = policies
      .filter(([, policy]) => ((policy.Properties?.Roles as unknown[] | undefined) ?? []).some((item) => (item as { Ref?: string }).Ref === roleId))
      .map(([policyId, policy]) => ({ name: typeof policy.Properties?.PolicyName === 'string' ? policy.Properties.PolicyName : policyId, document: resolve<PolicyDocument>(policy.Properties?.PolicyDocument) }));
    const inline = ((role.Properties?.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []).map((policy) => ({ name: policy.PolicyName, document: resolve<PolicyDocument>(policy.PolicyDocument) }));
    functions[entry] = {
      logicalId,
      functionName: context.ref(logicalId),
      env: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolveString(value, context, `${entry}'s ${key}`)])),
      roleName: context.ref(roleId),
      roleArn: context.getAtt(roleId, 'Arn'),
      identityPolicies: [...attached, ...inline],
      managedPolicyArns: resolve<string[] | undefined>(role.Properties?.ManagedPolicyArns) ?? [],
    };
  }

  const apis = ofType('AWS::ApiGateway::RestApi');
  if (apis.length > 1) throw new TemplateResolveError(`the template has ${apis.length} REST APIs; the local stack serves one`);
  const api = apis[0];
  const apiPolicy = api?.[1].Properties?.Policy;
  const apiResourcePolicy = apiPolicy ? expandExecuteApi(resolve<PolicyDocument>(apiPolicy), `arn:${options.partition}:execute-api:${options.region}:${options.accountId}:${context.ref(api[0])}`) : undefined;

  const buses: Record<string, { Version?: string; Statement: Record<string, unknown>[] }> = {};
  for (const [logicalId, resource] of ofType('AWS::Events::EventBus')) {
    const own = resource.Properties?.Policy ? resolve<PolicyDocument>(resource.Properties.Policy) : undefined;
    buses[context.ref(logicalId)] = { Version: own?.Version ?? '2012-10-17', Statement: [...(own ? statements(own) : [])] };
  }
  for (const [logicalId, resource] of ofType('AWS::Events::EventBusPolicy')) {
    const busName = resource.Properties?.EventBusName === undefined ? 'default' : resolveString(resource.Properties.EventBusName, context, `${logicalId}'s EventBusName`);
    const bus = (buses[busName] ??= { Version: '2012-10-17', Statement: [] });
    if (resource.Properties?.Statement) bus.Statement.push(resolve<Record<string, unknown>>(resource.Properties.Statement));
    else if (resource.Properties?.Policy) bus.Statement.push(...statements(resolve<PolicyDocument>(resource.Properties.Policy)));
    else throw new TemplateResolveError(`${logicalId}: an EventBusPolicy without Statement or Policy (the legacy Principal/Action form) is not read locally`);
  }

  const rules: RuleDescription[] = ofType('AWS::Events::Rule').map(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    const constructId = constructIdOf(resource);
    return {
      logicalId,
      name: context.ref(logicalId),
      ...(constructId ? { constructId } : {}),
      eventBusName: properties.EventBusName === undefined ? 'default' : resolveString(properties.EventBusName, context, `${logicalId}'s EventBusName`),
      ...(properties.EventPattern ? { eventPattern: resolve<object>(properties.EventPattern) } : {}),
      ...(typeof properties.ScheduleExpression === 'string' ? { scheduleExpression: properties.ScheduleExpression } : {}),
      enabled: properties.State === undefined || properties.State === 'ENABLED',
      targets: ((properties.Targets as Record<string, unknown>[] | undefined) ?? []).map((target) => {
        const arn = resolveString(target.Arn, context, `${logicalId}'s target ${String(target.Id)}`);
        const entry = functionArnEntry.get(arn);
        return {
          id: String(target.Id),
          arn,
          ...(entry ? { entry } : {}),
          ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
          ...(target.InputTransformer ? { inputTransformer: resolve<RuleTargetDescription['inputTransformer'] & object>(target.InputTransformer) } : {}),
        };
      }),
    };
  });

  const lambdaPermissions = ofType('AWS::Lambda::Permission').map(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    const functionArn = resolveString(properties.FunctionName, context, `${logicalId}'s FunctionName`);
    const entry = functionArnEntry.get(functionArn);
    return {
      ...(entry ? { entry } : {}),
      functionArn,
      action: resolveString(properties.Action, context, `${logicalId}'s Action`),
      principal: resolveString(properties.Principal, context, `${logicalId}'s Principal`),
      ...(properties.SourceArn === undefined ? {} : { sourceArn: resolveString(properties.SourceArn, context, `${logicalId}'s SourceArn`) }),
    };
  });

  return { functions, ...(apiResourcePolicy ? { apiResourcePolicy } : {}), buses, rules, lambdaPermissions, buckets };
}

/** `Stack/Archive/Bucket/Resource` → `Archive/Bucket` */
function bucketPathOf(resource: CfnResource): string | undefined {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return undefined;
  return path.split('/').slice(1).filter((part) => part !== 'Resource').join('/');
}

/** `Archive/AccessLogs` → `redrive-archive-access-logs`: a valid S3 bucket name (3-63 lowercase letters, digits, hyphens). */
export function localBucketName(path: string): string {
  const kebab = path.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
  return `redrive-${kebab}`.slice(0, 63).replace(/-+$/, '');
}

/**
 * API Gateway stores `execute-api:/stage/METHOD/path` as the API's own ARN; a policy evaluator
 * given the shorthand never matches a method ARN (iam-simulate compares ARNs as written).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html
 */
export function expandExecuteApi(policy: PolicyDocument, apiArn: string): PolicyDocument {
  const expand = (resource: unknown): unknown => {
    if (Array.isArray(resource)) return resource.map(expand);
    return typeof resource === 'string' && resource.startsWith('execute-api:/') ? `${apiArn}${resource.slice('execute-api:'.length)}` : resource;
  };
  return {
    ...policy,
    Statement: statements(policy).map((statement) => ({
      ...statement,
      ...(statement.Resource === undefined ? {} : { Resource: expand(statement.Resource) }),
      ...(statement.NotResource === undefined ? {} : { NotResource: expand(statement.NotResource) }),
    })),
  };
}

function statements(policy: PolicyDocument): Record<string, unknown>[] {
  const statement = policy.Statement as unknown;
  return Array.isArray(statement) ? (statement as Record<string, unknown>[]) : [statement as Record<string, unknown>];
}

/** As lib/redrive-controller-stack.ts names an entry's constructs: `org-api` → `OrgApi`. */
function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
