import type { IdentityPolicy } from './policy-evaluator';

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

/** The policies of the role a principal acts as (a role, or an assumed-role session of it). */
export function identityPoliciesOf(policies: IdentityPolicies | undefined, roleArn: string | undefined): readonly IdentityPolicy[] {
  return roleArn !== undefined && policies !== undefined && Object.hasOwn(policies, roleArn) ? policies[roleArn]! : [];
}
