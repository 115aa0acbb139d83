import { describeStack, type StackDescription } from '../../../../local/template/describe-stack';
import { readConfigFile } from '../../../../local/template/local-config';
import { LOCAL_RULE_NAMES, localFunctionName } from '../../../../local/template/local-description';
import { synthesizeTemplate } from '../../../../local/template/synthesize';

const ACCOUNT = '123456789012';
const ENTRIES = ['api', 'reconciler', 'events', 'inventory', 'mover'];

describe('describeStack: the synthesized local configuration, as the local stack reads it', () => {
  let description: StackDescription;

  beforeAll(async () => {
    // Prepare: config/local/local.json as `cdk synth` builds it (shared cache with the integration tests)
    const { template, stackName } = await synthesizeTemplate(readConfigFile());

    // Act
    description = describeStack(template, {
      partition: 'aws', region: 'us-east-1', accountId: ACCOUNT, stackName, entries: ENTRIES,
      functionName: localFunctionName, tableName: 'redrive-tasks', apiId: 'local', ruleNames: LOCAL_RULE_NAMES,
      queueUrl: (name) => `http://127.0.0.1:9324/${ACCOUNT}/${name}`,
    });
  }, 120_000);

  it('leaves no intrinsic function unresolved anywhere', () => {
    expect(JSON.stringify(description)).not.toMatch(/"Ref"|"Fn::/);
  });

  it("gives each entry its environment with the local physical names: table, mover, API", () => {
    expect(Object.keys(description.functions).sort()).toEqual([...ENTRIES].sort());
    const api = description.functions.api!;
    expect(api.functionName).toBe('redrive-controller-api');
    expect(api.env).toMatchObject({ TASK_TABLE_NAME: 'redrive-tasks', MOVER_FUNCTION_NAME: 'redrive-controller-mover', API_GATEWAY_ID: 'local', CONTROLLER_ACCOUNT_ID: ACCOUNT, MANAGED_QUEUES: `arn:aws:sqs:us-east-1:${ACCOUNT}:*` });
    expect(description.functions.events!.env.EVENT_SENDER_ACCOUNTS).toBe(ACCOUNT);
  });

  it("names each function's role as the function and lists its attached policy's grants on local ARNs", () => {
    const inventory = description.functions.inventory!;
    expect(inventory.roleName).toBe('redrive-controller-inventory');
    expect(inventory.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/redrive-controller-inventory`);
    const statements = inventory.identityPolicies.flatMap((policy) => policy.document.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'TaskTable', Resource: [`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/redrive-tasks`, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/redrive-tasks/index/*`] }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'events:PutEvents', Resource: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/redrive-controller-events` }));
    expect(inventory.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
  });

  it("expands the API resource policy's execute-api:/ shorthand to the local API's ARN", () => {
    const resources = description.apiResourcePolicy!.Statement.flatMap((statement) => [statement.Resource ?? statement.NotResource].flat());
    expect(resources).toContain(`arn:aws:execute-api:us-east-1:${ACCOUNT}:local/*`);
    expect(resources).toContain(`arn:aws:execute-api:us-east-1:${ACCOUNT}:local/*/POST/dlqs/*/peek`);
    expect(resources.filter((resource) => String(resource).startsWith('execute-api:'))).toEqual([]);
  });

  it("gathers the controller bus's policy statements under its name", () => {
    const bus = description.buses['redrive-controller']!;
    expect(bus.Statement.map((statement) => [statement.Sid, statement.Effect, statement.Resource])).toEqual([
      ['cdk-AllowConfiguredSenders', 'Allow', `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/redrive-controller`],
      ['cdk-DenyEveryoneElse', 'Deny', `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/redrive-controller`],
    ]);
    // the controller's own outbound bus admits its functions' roles only, named as the functions sign
    const outbound = description.buses['redrive-controller-events']!;
    const deny = outbound.Statement.find((statement) => statement.Effect === 'Deny')!;
    expect((deny.Condition as { ArnNotEquals: Record<string, string[]> }).ArnNotEquals['aws:PrincipalArn']).toContain(description.functions.inventory!.roleArn);
  });

  it('reads the rules: the cancel rule on the controller bus with its input transformer, and the schedules', () => {
    const cancel = description.rules.find((rule) => rule.constructId === 'CancelEvents')!;
    expect(cancel).toMatchObject({ name: LOCAL_RULE_NAMES.CancelEvents, eventBusName: 'redrive-controller', eventPattern: { account: [ACCOUNT], 'detail-type': ['Cancel Message Move Task'] } });
    expect(cancel.targets).toEqual([expect.objectContaining({ entry: 'events', arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:redrive-controller-events`, inputTransformer: expect.objectContaining({ InputPathsMap: { f1: '$' } }) })]);
    const schedules = description.rules.filter((rule) => rule.scheduleExpression).map((rule) => [rule.name, rule.scheduleExpression, rule.targets.map((target) => target.entry)]);
    expect(schedules).toEqual(expect.arrayContaining([
      [LOCAL_RULE_NAMES.ReconcileSchedule, 'rate(1 minute)', ['reconciler']],
      [LOCAL_RULE_NAMES.InventorySchedule, 'rate(1 minute)', ['inventory']],
    ]));
  });

  it("reads the Lambda permissions: API Gateway may invoke api from the local API's stage", () => {
    expect(description.lambdaPermissions).toContainEqual({
      entry: 'api', functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:redrive-controller-api`, action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com', sourceArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:local/v1/*/*`,
    });
  });

  it('fails naming the output when an entry has no function in the template', async () => {
    const { template, stackName } = await synthesizeTemplate(readConfigFile());
    expect(() => describeStack(template, { partition: 'aws', region: 'us-east-1', accountId: ACCOUNT, stackName, entries: ['replay'], functionName: localFunctionName, tableName: 't', apiId: 'local' }))
      .toThrow(/no output ReplayFunctionName/);
  });
});
