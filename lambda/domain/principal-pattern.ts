// org-caller, message-readers --> matchesPrincipal: the configuration's principal patterns, as IAM matches them
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/((?:[^/]*\/)*)([^/]+)$/;
const ROLE_SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
/** where IAM Identity Center puts the roles of permission sets, older accounts without the Region segment */
const IDENTITY_CENTER_PATH = /^aws-reserved\/sso\.amazonaws\.com\/(?:[a-z]{2}(?:-[a-z]+)+-\d+\/)?$/;
const IDENTITY_CENTER_ROLE_NAME = 'AWSReservedSSO_';

/**
 * Whether a caller, as API Gateway names it, is one of the principals a pattern names (IAM's ArnLike
 * with a trailing `*`), no more than the resource policy admits but for the limit below. Deployed, API Gateway names a
 * role's caller by its session (`arn:aws:sts::<account>:assumed-role/<role name>/<session>`), while
 * the configuration names the role (`arn:aws:iam::<account>:role/<path><role name>`), as
 * `aws:PrincipalArn` does in the resource policy: "For IAM roles, the request context returns the
 * ARN of the role", path included
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 * A session ARN carries no path, so a session matches a role pattern of its partition and account by
 * its role name:
 * - `role/*` (any role) and an exact name (`role/<path>Name`; names are unique in an account, so the
 *   session is of the very role the pattern names) match;
 * - a name left open under a path (`role/readers/Support*`, `role/team/*`) matches no session (fail
 *   closed): the role `SupportEscalationAdmin` at path `/` is outside it for IAM, and nothing in
 *   its session tells that apart from `readers/SupportX`;
 * - except under IAM Identity Center's path (`role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_Ops_*`):
 *   Identity Center creates its permission sets' roles there, named `AWSReservedSSO_<permission set>_<suffix>`,
 *   and protects them ("only modifiable by AWS"), so a session of a role named `AWSReservedSSO_...` is
 *   of a role at that path (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html);
 *   an account's Identity Center roles all sit under one Region's path, so the Region is not checked.
 * A name prefix without a path (`role/Support*`) is matched by name: a role so named under a path
 * passes here, which the resource policy would not admit (see docs/configuration.md).
 */
export function matchesPrincipal(caller: string, pattern: string): boolean {
  if (matches(caller, pattern)) return true;
  const session = ROLE_SESSION_ARN.exec(caller);
  const role = ROLE_ARN.exec(pattern);
  if (!session || !role) return false;
  const [, partition, account, path, name] = role;
  const roleName = session[3]!;
  if (session[1] !== partition || session[2] !== account) return false;
  if (path === '' || !name!.endsWith('*')) return matches(roleName, name!);
  return IDENTITY_CENTER_PATH.test(path!) && roleName.startsWith(IDENTITY_CENTER_ROLE_NAME) && matches(roleName, name!);
}

export function matchesAnyPrincipal(caller: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesPrincipal(caller, pattern));
}

function matches(value: string, pattern: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}
