import type { Template } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { ConfigError } from '../../lib/config/config-error';
import { replayAccessStatements } from '../../lib/mover-access';
import { exampleConfig, synthStack } from '../support/example-stack';

const HOME = 'eu-west-1:111122223333';
const TARGETS = [`arn:aws:lambda:${HOME}:function:orders`, `arn:aws:lambda:${HOME}:function:billing-*`, `arn:aws:sns:${HOME}:order-events`, `arn:aws:events:${HOME}:event-bus/audit`, `arn:aws:sqs:${HOME}:orders-retry`];

function moverOf(template: Template): { env: Record<string, unknown>; statements: Array<{ Sid?: string; Action: string | string[]; Resource: unknown }> } {
  const [id, mover] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([, fn]) => fn.Properties.Timeout === 900)!;
  const role = mover.Properties.Role['Fn::GetAtt'][0] as string;
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  expect(id).toBeDefined();
  return { env: mover.Properties.Environment.Variables, statements };
}

describe('replay targets in the stack', () => {
  it('grants the mover each kind of action on the configured targets only, and tells it REPLAY_TARGETS', () => {
    // GIVEN
    const { template } = synthStack({ config: exampleConfig({ replayTargets: TARGETS }) });
    // WHEN
    const { env, statements } = moverOf(template);
    const bySid = Object.fromEntries(statements.filter((statement) => statement.Sid?.startsWith('Replay')).map((statement) => [statement.Sid, statement]));
    // THEN
    expect(env[ENV.replayTargets]).toBe(TARGETS.join(','));
    expect(bySid).toEqual({
      ReplayInvokeFunctions: expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: [TARGETS[0], `${TARGETS[0]}:*`, TARGETS[1]] }),
      ReplaySendToQueues: expect.objectContaining({ Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'], Resource: TARGETS[4] }),
      ReplayPublishToTopics: expect.objectContaining({ Action: 'sns:Publish', Resource: TARGETS[2] }),
      ReplayPutEventsOnBuses: expect.objectContaining({ Action: 'events:PutEvents', Resource: TARGETS[3] }),
    });
  });

  it('grants no replay action without replayTargets', () => {
    expect(replayAccessStatements(exampleConfig({ replayTargets: [] }))).toEqual([]);
  });

  it('fails synth on a replay target that is no function, queue, topic or bus', () => {
    expect(() => exampleConfig({ replayTargets: [`arn:aws:states:${HOME}:stateMachine:orders`] })).toThrow(ConfigError);
    expect(() => exampleConfig({ replayTargets: [`arn:aws:states:${HOME}:stateMachine:orders`] })).toThrow(/function, queue, topic or event bus/);
  });
});
