import { Match, type Template } from 'aws-cdk-lib/assertions';

import { exampleConfig, exampleJson, synthStack } from '../support/example-stack';

describe('ControllerApi', () => {
  let template: Template;
  let withOrganization: Template;
  beforeAll(() => {
    ({ template } = synthStack());
    ({ template: withOrganization } = synthStack({ config: exampleConfig({ api: { ...exampleJson().api, organizationId: 'o-a1b2c3d4e5' } }) }));
  });

  it('requires IAM authorization on every method, root and {proxy+} alike: no unsigned preflight', () => {
    // Act
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((method) => method.Properties);

    // Assess
    expect(methods.length).toBeGreaterThanOrEqual(2);
    expect(methods.map((method) => method.HttpMethod)).not.toContain('OPTIONS');
    expect(methods.every((method) => method.AuthorizationType === 'AWS_IAM')).toBe(true);
    expect(methods.some((method) => method.ResourceId['Fn::GetAtt']?.[1] === 'RootResourceId')).toBe(true);
  });

  it("gives API Gateway's test invoke no permission to run the function", () => {
    // Act
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((permission) => permission.Properties);
    const fromApiGateway = permissions.filter((permission) => permission.Principal === 'apigateway.amazonaws.com');

    // Assess: only the deployed stage's methods may invoke, never the test-invoke-stage
    expect(fromApiGateway.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(fromApiGateway)).not.toContain('test-invoke-stage');
    for (const permission of fromApiGateway) expect(JSON.stringify(permission.SourceArn)).toMatch(/"Ref":"ApiDeploymentStagev1/);
  });

  it('refuses the removed corsOrigins key, saying why', () => {
    expect(() => exampleConfig({ api: { ...exampleJson().api, corsOrigins: ['https://x.example.com'] } })).toThrow(/api\.corsOrigins was removed: the API never answered Access-Control-Allow-Origin/);
  });

  it('admits only the configured principals (or organization) in its resource policy', () => {
    // Assess: the org view's role (the org section) is admitted like a configured principal
    const principals = [...exampleJson().api.allowedPrincipals, ...exampleJson().org.apiRoleArns];
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowConfiguredPrincipals', Effect: 'Allow', Condition: { ArnLike: { 'aws:PrincipalArn': principals } } }),
          Match.objectLike({ Sid: 'DenyEveryoneElse', Effect: 'Deny', NotResource: ['execute-api:/*/POST/dlqs/*/peek', 'execute-api:/*/POST/dlqs/*/peek/', 'execute-api:/*/GET/archives/*/messages', 'execute-api:/*/GET/archives/*/messages/', 'execute-api:/*/POST/archives/*/replay', 'execute-api:/*/POST/archives/*/replay/', 'execute-api:/*/POST/dlqs/*/messages/*', 'execute-api:/*/POST/dlqs/*/messages/*/'], Condition: { ArnNotLike: { 'aws:PrincipalArn': principals } } }),
        ]),
      },
    });
    withOrganization.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowOrganization', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
          Match.objectLike({
            Sid: 'DenyEveryoneElse',
            // peek has its own rule: only the message readers (see the DLQ access tests)
            NotResource: ['execute-api:/*/POST/dlqs/*/peek', 'execute-api:/*/POST/dlqs/*/peek/', 'execute-api:/*/GET/archives/*/messages', 'execute-api:/*/GET/archives/*/messages/', 'execute-api:/*/POST/archives/*/replay', 'execute-api:/*/POST/archives/*/replay/', 'execute-api:/*/POST/dlqs/*/messages/*', 'execute-api:/*/POST/dlqs/*/messages/*/'],
            Condition: { ArnNotLike: { 'aws:PrincipalArn': principals }, StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
          }),
        ]),
      },
    });
  });

  it('throttles and writes access logs on its stage', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      MethodSettings: [Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] }, Format: Match.anyValue() },
    });
  });

  it("logs each request's caller (user ARN, account) and the authorization error of a refusal", () => {
    // Act
    const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage'));
    const format = JSON.parse(stage!.Properties.AccessLogSetting.Format);

    // Assess
    expect(format).toMatchObject({
      userArn: '$context.identity.userArn',
      accountId: '$context.identity.accountId',
      caller: '$context.identity.caller',
      status: '$context.status',
      authorizeError: '$context.authorize.error',
      errorMessage: '$context.error.message',
    });
  });

  it("sets API Gateway's account logging role that stage access logs need, and keeps it when the stack goes", () => {
    // Prepare
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } } });

    // Assess
    expect(Object.values(roles)).toEqual([expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })]);
    const [roleId] = Object.keys(roles);
    template.hasResource('AWS::ApiGateway::Account', { Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }, DeletionPolicy: 'Retain' });
  });
});
