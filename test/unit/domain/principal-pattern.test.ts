import { matchesPrincipal } from '../../../lambda/domain/principal-pattern';

const SESSION = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Ops_0123abcd/alice';
const SUPPORT = 'arn:aws:sts::111122223333:assumed-role/SupportEscalationAdmin/alice';

describe('matchesPrincipal', () => {
  it.each([
    ['the exact ARN', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:user/bob', true],
    ['a trailing * over the ARN', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:user/b*', true],
    ["a role session, by its role's name and path", SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_*', true],
    ['a role session, by any role of the account', SESSION, 'arn:aws:iam::111122223333:role/*', true],
    ['a role session of another name', SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*', false],
    ['a role session of another account', SESSION, 'arn:aws:iam::444455556666:role/*', false],
    ['a role session under a path whose whole name is open (the path cannot be checked)', SESSION, 'arn:aws:iam::111122223333:role/team/*', false],
    // IAM: aws:PrincipalArn of a role at path / named SupportEscalationAdmin is role/SupportEscalationAdmin, outside role/readers/Support*
    ['a role session by a name prefix under a path (the review: any Support* role at any path passed)', SUPPORT, 'arn:aws:iam::111122223333:role/readers/Support*', false],
    ['a role session by a name prefix under a deeper path', SUPPORT, 'arn:aws:iam::111122223333:role/a/b/Support*', false],
    ['a role session by its exact name under a path (names are unique in an account)', SUPPORT, 'arn:aws:iam::111122223333:role/readers/SupportEscalationAdmin', true],
    ['a role session by a name prefix without a path', SUPPORT, 'arn:aws:iam::111122223333:role/Support*', true],
    ['an Identity Center session under the Region path', SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Ops_*', true],
    ['an Identity Center session by any role at its path', SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*', true],
    ['a session of a role not named as Identity Center names them, by any role at its path', SUPPORT, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*', false],
    ['an Identity Center session under a look-alike path', SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com.evil/AWSReservedSSO_Ops_*', false],
    ['an Identity Center session under a longer path', SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/x/AWSReservedSSO_Ops_*', false],
    ['a role session of another partition', SESSION.replace('arn:aws:', 'arn:aws-cn:'), 'arn:aws:iam::111122223333:role/*', false],
  ])('matches %s: %s', (_name, caller, pattern, expected) => {
    expect(matchesPrincipal(caller, pattern)).toBe(expected);
  });
});
