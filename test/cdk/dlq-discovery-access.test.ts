import type { Template } from 'aws-cdk-lib/assertions';

import { synthStack } from '../support/example-stack';

const ENTRIES = { api: 'lambda/entry/api.ts', inventory: 'lambda/entry/api.ts' };

function statementsOf(template: Template, functionId: string): Array<{ Sid?: string; Action: string | string[]; Resource: unknown }> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(functionId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('the discovery of functions\' and rule targets\' DLQs in the stack', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack({ entries: ENTRIES }));
  });

  it('grants the inventory the list calls on "*" only where IAM has no resource type, the per-function and per-rule reads on this account\'s functions and rules', () => {
    // Act
    const statements = statementsOf(template, 'InventoryFunction');

    // Assess
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'DiscoverDlqOwnersList', Action: ['lambda:ListFunctions', 'events:ListEventBuses', 'events:ListRules'], Resource: '*' }));
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'DiscoverFunctionDestinations',
      Action: 'lambda:ListFunctionEventInvokeConfigs',
      Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:*',
    }));
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'DiscoverRuleTargetDlqs', Action: 'events:ListTargetsByRule', Resource: 'arn:aws:events:eu-west-1:111122223333:rule/*' }));
    // reads only: no invoke, no configuration change
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => /^(lambda|events):/.test(action) && !/^(lambda|events):(List|PutEvents$)/.test(action))).toEqual([]);
  });

  it('grants the api none of them', () => {
    // Act
    const actions = statementsOf(template, 'ApiFunction').flatMap((statement) => [statement.Action].flat());

    // Assess
    expect(actions.filter((action) => /^(lambda:List|events:List)/.test(action))).toEqual([]);
  });
});
