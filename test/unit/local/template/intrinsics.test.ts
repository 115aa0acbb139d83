import { type ResolveContext,resolveIntrinsics } from '../../../../local/template/intrinsics';

const context: ResolveContext = {
  partition: 'aws', region: 'us-east-1', accountId: '123456789012', stackName: 'RedriveController-local',
  ref: (logicalId) => `name-of-${logicalId}`,
  getAtt: (logicalId, attribute) => `${attribute}-of-${logicalId}`,
};

describe('resolveIntrinsics', () => {
  it('resolves Ref of pseudo parameters and resources, and Fn::GetAtt in both forms', () => {
    expect(resolveIntrinsics({ a: { Ref: 'AWS::Partition' }, b: { Ref: 'AWS::URLSuffix' }, c: { Ref: 'Table' }, d: { 'Fn::GetAtt': ['Table', 'Arn'] }, e: { 'Fn::GetAtt': 'Bus.Name' } }, context))
      .toEqual({ a: 'aws', b: 'amazonaws.com', c: 'name-of-Table', d: 'Arn-of-Table', e: 'Name-of-Bus' });
  });

  it('joins, selects and splits, resolving nested intrinsics first', () => {
    expect(resolveIntrinsics({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }]] }, context)).toBe('arn:aws:sqs:us-east-1');
    expect(resolveIntrinsics({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, context)).toBe('b');
  });

  it('substitutes ${Name}, ${Resource.Attribute}, variables, and keeps ${!Literal} literal', () => {
    expect(resolveIntrinsics({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Queue}/${Role.Arn}/${!Keep}' }, context))
      .toBe('arn:aws:x:us-east-1:123456789012:name-of-Queue/Arn-of-Role/${Keep}');
    expect(resolveIntrinsics({ 'Fn::Sub': ['${Who} in ${AWS::StackName}', { Who: { Ref: 'Fn' } }] }, context)).toBe('name-of-Fn in RedriveController-local');
  });

  it('fails naming an intrinsic it does not resolve', () => {
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'x' }, context)).toThrow(/Fn::ImportValue is not resolved locally/);
  });
});
