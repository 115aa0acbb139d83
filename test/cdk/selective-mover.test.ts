import type { Template } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { exampleConfig, synthStack } from '../support/example-stack';

const ACCOUNT_QUEUE = 'arn:aws:sqs:eu-west-1:111122223333';

function statementsOfRole(template: Template, role: string): Array<{ Sid?: string; Action: string | string[]; Resource: unknown }> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function functionByTimeout(template: Template, seconds: number): { id: string; role: string; env: Record<string, unknown> } {
  const [found] = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([, fn]) => fn.Properties.Timeout === seconds);
  if (!found) throw new Error(`no function with a ${seconds} s timeout`);
  return { id: found[0], role: found[1].Properties.Role['Fn::GetAtt'][0] as string, env: found[1].Properties.Environment.Variables };
}

describe('the selective mover in the stack', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack());
  });

  it('runs 15 minutes with no Lambda retries of a failed slice', () => {
    // Prepare
    const mover = functionByTimeout(template, 900);
    // Act
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter((config) => JSON.stringify(config).includes(mover.id));
    // Assess
    expect(configs).toEqual([expect.objectContaining({ Properties: expect.objectContaining({ MaximumRetryAttempts: 0 }) })]);
  });

  it("runs with the config's mover.memorySize, 512 MB unless set (Lambda's CPU follows memory)", () => {
    // Prepare
    const sized = synthStack({ config: exampleConfig({ mover: { memorySize: 1769 } }) }).template;
    // Act
    const memoryOf = (of: Template) => (Object.values(of.findResources('AWS::Lambda::Function')).find((fn) => fn.Properties.Timeout === 900)!.Properties.MemorySize as number);
    const others = Object.values(sized.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Timeout !== 900).map((fn) => fn.Properties.MemorySize as number);
    // Assess
    expect(memoryOf(template)).toBe(512);
    expect(memoryOf(sized)).toBe(1769);
    expect(new Set(others)).toEqual(new Set([512]));
  });

  it('alone moves messages: receive, delete and change visibility on managed DLQs, send to sources and destinations, no move-task action', () => {
    // Prepare
    const mover = functionByTimeout(template, 900);
    // Act
    const statements = statementsOfRole(template, mover.role);
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    // Assess
    expect(bySid.MoveMessagesOutOfManagedQueues).toMatchObject({
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl'],
      Resource: [`${ACCOUNT_QUEUE}:orders-dlq`, `${ACCOUNT_QUEUE}:payments-dlq*`],
    });
    expect(bySid.SendToRedriveDestinations).toMatchObject({ Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'] });
    // lambda:InvokeFunction only for the replays' functions (config replayTargets, test/cdk/replay-access.test.ts)
    expect(JSON.stringify(statements.filter((s) => s.Sid !== 'ReplayInvokeFunctions'))).not.toMatch(/MessageMoveTask|lambda:InvokeFunction|kms:/);
  });

  it('is invoked by the API and the reconciler only, on its ARN alone, and they know its name', () => {
    // Prepare
    const mover = functionByTimeout(template, 900);
    const invokers = [functionByTimeout(template, 25), functionByTimeout(template, 50)];
    const events = functionByTimeout(template, 30);
    // Act
    const invokeStatements = (role: string) => statementsOfRole(template, role).filter((s) => s.Sid === 'InvokeSelectiveMover');
    // Assess
    for (const invoker of invokers) {
      expect(invokeStatements(invoker.role)).toEqual([expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [mover.id, 'Arn'] } })]);
      expect(invoker.env[ENV.moverFunctionName]).toEqual({ Ref: mover.id });
    }
    expect(invokeStatements(events.role)).toEqual([]);
  });

  it('gets the queue keys only when the configuration names them', () => {
    // Prepare
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';
    // Act
    const { template: withKeys } = synthStack({ config: exampleConfig({ queueKmsKeyArns: [key] }) });
    const mover = functionByTimeout(withKeys, 900);
    // Assess
    expect(statementsOfRole(withKeys, mover.role).filter((s) => s.Sid === 'QueueKeysThroughSqs')).toEqual([expect.objectContaining({ Resource: key })]);
  });
});
