import { matchesPrincipal } from '../../../lambda/domain/principal-pattern';

const SESSION = 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Ops_0123abcd/alice';

describe('matchesPrincipal', () => {
  it.each([
    ['the exact ARN', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:user/bob', true],
    ['a trailing * over the ARN', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:user/b*', true],
    ["a role session, by its role's name and path", SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_*', true],
    ['a role session, by any role of the account', SESSION, 'arn:aws:iam::111122223333:role/*', true],
    ['a role session of another name', SESSION, 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*', false],
    ['a role session of another account', SESSION, 'arn:aws:iam::444455556666:role/*', false],
    ['a role session under a path whose whole name is open (the path cannot be checked)', SESSION, 'arn:aws:iam::111122223333:role/team/*', false],
  ])('matches %s: %s', (_name, caller, pattern, expected) => {
    expect(matchesPrincipal(caller, pattern)).toBe(expected);
  });
});
