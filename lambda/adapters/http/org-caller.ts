// account API: API Gateway's caller + the org's header --> who the record names
/** The header that names the person who asked through the org view. */
export const ORG_CALLER_HEADER = 'x-redrive-org-caller';

const PRINTABLE = /^[\x20-\x7e]{1,256}$/;
const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:[^/]*\/)*([^/]+)$/;
const ROLE_SESSION_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/**
 * Who the task's record names. The org function's role (one of `orgCallers`, IAM's ArnLike with a
 * trailing `*`) may say on whose behalf it asks: `<person> via org`. From anyone else the header is
 * ignored, so no caller can pass itself off as someone else.
 */
export function callerThroughOrg(caller: string, headers: Readonly<Record<string, string>>, orgCallers: readonly string[]): string {
  const asked = headers[ORG_CALLER_HEADER];
  if (asked === undefined || !orgCallers.some((pattern) => isOrgCaller(caller, pattern))) return caller;
  return PRINTABLE.test(asked) ? `${asked} via org` : `${caller} (an unreadable caller via org)`;
}

/**
 * Deployed, API Gateway names a Lambda function's caller by its role session
 * (`arn:aws:sts::<account>:assumed-role/<role name>/<session>`), while the configuration names the
 * role (`arn:aws:iam::<account>:role/<path><role name>`): the session matches the role of its
 * partition, account and name. The session ARN carries no path, so a role pattern is matched by its
 * name (a `*` at its end as IAM's ArnLike).
 */
function isOrgCaller(caller: string, pattern: string): boolean {
  if (matches(caller, pattern)) return true;
  const session = ROLE_SESSION_ARN.exec(caller);
  const role = ROLE_ARN.exec(pattern);
  if (!session || !role) return false;
  return session[1] === role[1] && session[2] === role[2] && matches(session[3]!, role[3]!);
}

function matches(value: string, pattern: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;
}
