// org-caller, message-readers --> matchesPrincipal: the configuration's principal patterns, as IAM matches them
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/((?:[^/]*\/)*)([^/]+)$/;
const ROLE_SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/**
 * Whether a caller, as API Gateway names it, is one of the principals a pattern names (IAM's ArnLike
 * with a trailing `*`). Deployed, API Gateway names a role's caller by its session
 * (`arn:aws:sts::<account>:assumed-role/<role name>/<session>`), while the configuration names the
 * role (`arn:aws:iam::<account>:role/<path><role name>`), as `aws:PrincipalArn` does in the resource
 * policy: the session matches the role of its partition, account and name (a session ARN carries
 * no path, so a role pattern is matched by its name: names are unique in an account). A pattern that
 * leaves the whole name open under a path (`role/team/*`) cannot be checked without the path, so it
 * matches no session (fail closed); `role/*` (any role) and a name prefix (`role/sso/Reserved_Ops_*`) do.
 */
export function matchesPrincipal(caller: string, pattern: string): boolean {
  if (matches(caller, pattern)) return true;
  const session = ROLE_SESSION_ARN.exec(caller);
  const role = ROLE_ARN.exec(pattern);
  if (!session || !role) return false;
  const [, partition, account, path, name] = role;
  if (path !== '' && name === '*') return false;
  return session[1] === partition && session[2] === account && matches(session[3]!, name!);
}

export function matchesAnyPrincipal(caller: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesPrincipal(caller, pattern));
}

function matches(value: string, pattern: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}
