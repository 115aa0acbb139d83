import { type ResolveContext, TemplateResolveError } from './intrinsics';

/** A synthesized CloudFormation template, as far as the local stack reads it. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value: unknown }>>;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

export interface LocalNaming {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  /** logical id → the local physical name (functions, roles, the table, the API's id, rules) */
  readonly names: Readonly<Record<string, string>>;
  /** a queue's URL locally; @default - SQS's public URL form */
  readonly queueUrl?: (name: string) => string;
}

// the property that names a resource of each type, when the template names it
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::ApiGateway::Stage': 'StageName',
  'AWS::S3::Bucket': 'BucketName',
};

/** The construct's own id (`.../Rules/CancelEvents/Resource` → `CancelEvents`), as CDK's path metadata says. */
export function constructIdOf(resource: CfnResource): string | undefined {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') return undefined;
  const parts = path.split('/');
  const last = parts.pop();
  return last === 'Resource' || last === 'Default' ? parts.pop() : last;
}

/**
 * Ref and Fn::GetAtt as CloudFormation answers them for each resource type, on the local names:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getatt.html
 */
export function localResolveContext(template: CfnTemplate, naming: LocalNaming): ResolveContext {
  const { partition, region, accountId } = naming;
  const resourceOf = (logicalId: string): CfnResource => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new TemplateResolveError(`the template has no resource ${logicalId}`);
    return resource;
  };
  const nameOf = (logicalId: string): string => {
    const resource = resourceOf(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const named = property ? resource.Properties?.[property] : undefined;
    return naming.names[logicalId] ?? (typeof named === 'string' ? named : logicalId);
  };
  const queueUrl = naming.queueUrl ?? ((name: string) => `https://sqs.${region}.amazonaws.com/${accountId}/${name}`);
  return {
    partition,
    region,
    accountId,
    stackName: naming.stackName,
    ref: (logicalId) => (resourceOf(logicalId).Type === 'AWS::SQS::Queue' ? queueUrl(nameOf(logicalId)) : nameOf(logicalId)),
    getAtt: (logicalId, attribute) => {
      const { Type: type } = resourceOf(logicalId);
      const name = nameOf(logicalId);
      const arn = `${type}.${attribute}`;
      switch (arn) {
        case 'AWS::DynamoDB::Table.Arn':
          return `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`;
        case 'AWS::Lambda::Function.Arn':
          return `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
        case 'AWS::IAM::Role.Arn':
          return `arn:${partition}:iam::${accountId}:role/${name}`;
        case 'AWS::Events::EventBus.Arn':
          return `arn:${partition}:events:${region}:${accountId}:event-bus/${name}`;
        case 'AWS::Events::EventBus.Name':
        case 'AWS::SQS::Queue.QueueName':
          return name;
        case 'AWS::Events::Rule.Arn':
          return `arn:${partition}:events:${region}:${accountId}:rule/${name}`;
        case 'AWS::SQS::Queue.Arn':
          return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
        case 'AWS::Logs::LogGroup.Arn':
          return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`;
        case 'AWS::CloudWatch::Alarm.Arn':
          return `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${name}`;
        // S3 ARNs carry no region or account
        case 'AWS::S3::Bucket.Arn':
          return `arn:${partition}:s3:::${name}`;
        case 'AWS::ApiGateway::RestApi.RootResourceId':
          return `${name}-root`;
        default:
          throw new TemplateResolveError(`Fn::GetAtt ${logicalId}.${attribute} (${type}) is not resolved locally`);
      }
    },
  };
}
