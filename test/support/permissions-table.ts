import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

export interface GrantedStatement {
  readonly function: string;
  readonly sid: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** Every statement of each function's role, as the synthesized template grants it. */
export function grantedStatements(stack: Stack, functions: Readonly<Record<string, lambda.IFunction>>, template: Template): GrantedStatement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const managed = template.findResources('AWS::IAM::Role');
  return Object.entries(functions).flatMap(([name, fn]) => {
    const roleId = stack.getLogicalId((fn as lambda.Function).role!.node.defaultChild as never);
    const inline = policies
      .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
      .map((statement) => ({
        function: name,
        sid: typeof statement.Sid === 'string' ? statement.Sid : '',
        effect: statement.Effect as string,
        actions: [statement.Action as string | string[]].flat(),
        resources: [statement.Resource as unknown].flat().map(readable),
      }));
    const managedPolicies = ((managed[roleId]?.Properties.ManagedPolicyArns ?? []) as unknown[]).map((arn) => ({
      function: name,
      sid: '(managed policy)',
      effect: 'Allow',
      actions: [readable(arn).replace(/^arn:aws:iam::aws:policy\//, '')],
      resources: ['(its own)'],
    }));
    return [...managedPolicies, ...inline];
  });
}

/** The Markdown table docs/permissions.md holds between its generated markers. */
export function renderPermissionsTable(statements: readonly GrantedStatement[]): string {
  const cell = (items: readonly string[]) => items.map((item) => `\`${item}\``).join(', ');
  return [
    '| function | statement | actions | resources |',
    '|---|---|---|---|',
    ...statements.map((s) => `| \`${s.function}\` | ${s.sid || '(unnamed)'}${s.effect === 'Allow' ? '' : ` (${s.effect})`} | ${cell(s.actions)} | ${cell(s.resources)} |`),
  ].join('\n');
}

/** CloudFormation intrinsics as a reader would say them: `<TaskTable>.Arn`, `aws` for the partition. */
function readable(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (node.Ref === 'AWS::Partition') return 'aws';
  if (typeof node.Ref === 'string') return `<${withoutHash(node.Ref)}>`;
  const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return `<${withoutHash(getAtt[0])}>.${getAtt[1]}`;
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(readable).join(join[0]);
  return JSON.stringify(value);
}

function withoutHash(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}
