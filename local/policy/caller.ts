import { accountOfPrincipal, type IdentityPolicy, roleArnOf } from './policy-evaluator';

/**
 * Who a local request comes from, as the contract names callers (API.md section 10): a request signed
 * with SigV4 whose access key id is `<name>` is `arn:aws:iam::<account>:role/<name>` (the local stack
 * gives each function its role's name as its access key id); an unsigned request is `role/local`.
 * Known access key ids (`identities`) name another principal, e.g. another account's role session.
 * The signature itself is not verified: locally, any secret signs.
 */
export function callerOf(authorization: string | readonly string[] | undefined, accountId: string, identities: Readonly<Record<string, string>> = {}): string {
  const accessKeyId = accessKeyIdOf(authorization);
  if (accessKeyId === undefined) return `arn:aws:iam::${accountId}:role/local`;
  return Object.hasOwn(identities, accessKeyId) ? identities[accessKeyId]! : `arn:aws:iam::${accountId}:role/${accessKeyId}`;
}

/** The access key id of a SigV4 `Authorization` header (`... Credential=<id>/<date>/<region>/<service>/aws4_request, ...`). */
export function accessKeyIdOf(authorization: string | readonly string[] | undefined): string | undefined {
  const header = typeof authorization === 'string' ? authorization : authorization?.[0];
  return /Credential=([^/,\s]+)\//.exec(header ?? '')?.[1];
}

/** Identity policies by role ARN (`arn:aws:iam::<account>:role/<name>`); a principal not listed has none. */
export type IdentityPolicies = Readonly<Record<string, readonly IdentityPolicy[]>>;

/**
 * The identity policies of the role a principal acts as (a role, or an assumed-role session of it).
 * A principal the local stack has no policies for has none in the resource's own account; one of
 * another account (an allowed sender, the org role) is taken to be allowed by its own account, whose
 * policies are not the local stack's to know: the resource's policy alone then decides.
 */
export function identityPoliciesOf(policies: IdentityPolicies | undefined, principal: string, resourceAccount: string): readonly IdentityPolicy[] {
  const roleArn = roleArnOf(principal);
  if (roleArn !== undefined && policies !== undefined && Object.hasOwn(policies, roleArn)) return policies[roleArn]!;
  return accountOfPrincipal(principal) === resourceAccount ? [] : [ALLOWED_BY_ITS_OWN_ACCOUNT];
}

const ALLOWED_BY_ITS_OWN_ACCOUNT: IdentityPolicy = {
  name: 'assumed: allowed by its own account',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};
