import { Match, type Template } from 'aws-cdk-lib/assertions';

import { exampleConfig, exampleJson, synthStack } from '../support/example-stack';

describe('ControllerApi', () => {
  let template: Template;
  let withoutCors: Template;
  beforeAll(() => {
    ({ template } = synthStack());
    const { corsOrigins: _omitted, ...api } = exampleJson().api;
    ({ template: withoutCors } = synthStack({ config: exampleConfig({ api: { ...api, organizationId: 'o-a1b2c3d4e5' } }) }));
  });

  it('requires IAM authorization on every method but CORS preflight, root and {proxy+} alike', () => {
    // Act
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((method) => method.Properties);

    // Assess
    const signed = methods.filter((method) => method.HttpMethod !== 'OPTIONS');
    expect(signed.length).toBeGreaterThanOrEqual(2);
    expect(signed.every((method) => method.AuthorizationType === 'AWS_IAM')).toBe(true);
    expect(signed.some((method) => method.ResourceId['Fn::GetAtt']?.[1] === 'RootResourceId')).toBe(true);
    const preflights = methods.filter((method) => method.HttpMethod === 'OPTIONS');
    expect(preflights.every((method) => method.Integration.Type === 'MOCK')).toBe(true);
  });

  it('answers no preflight when no CORS origin is configured: then every method is signed', () => {
    // Act
    const methods = Object.values(withoutCors.findResources('AWS::ApiGateway::Method')).map((method) => method.Properties);

    // Assess
    expect(methods.map((method) => method.HttpMethod)).not.toContain('OPTIONS');
    expect(methods.every((method) => method.AuthorizationType === 'AWS_IAM')).toBe(true);
  });

  it('admits only the configured principals (or organization) in its resource policy', () => {
    // Assess
    const principals = exampleJson().api.allowedPrincipals;
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowConfiguredPrincipals', Effect: 'Allow', Condition: { ArnLike: { 'aws:PrincipalArn': principals } } }),
          Match.objectLike({ Sid: 'DenyEveryoneElse', Effect: 'Deny', NotResource: 'execute-api:/*/OPTIONS/*', Condition: { ArnNotLike: { 'aws:PrincipalArn': principals } } }),
        ]),
      },
    });
    withoutCors.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowOrganization', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } }),
          Match.objectLike({
            Sid: 'DenyEveryoneElse',
            Resource: 'execute-api:/*',
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
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('"caller"') },
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
