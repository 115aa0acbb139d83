// account API: API Gateway's caller + the org's header --> who the record names, and whose rights apply
import { matchesAnyPrincipal } from '../../domain/principal-pattern';
import { quote, SqsError } from '../../domain/sqs-error';

/** The header that names the person who asked through the org view. */
export const ORG_CALLER_HEADER = 'x-redrive-org-caller';

const PRINTABLE = /^[\x20-\x7e]{1,256}$/;

/** Who asks, as the function knows it. */
export interface RequestCaller {
  /** what the task's record and the log name: the caller, or `<person> via org` */
  readonly name: string;
  /** whose rights the function checks (message readers): the caller, or the person the org names */
  readonly principal: string;
}

/** The account's own say over the org view (the `org` section of its configuration). */
export interface OrgCallerPolicy {
  /** principals (the org function's role, ORG_CALLERS) that may name the person they ask for */
  readonly orgCallers: readonly string[];
  /** the persons this account accepts from them (ORG_ALLOWED_CALLERS, config `org.allowedCallers`) */
  readonly allowedCallers: readonly string[];
}

/**
 * Who asks. The org function's role (one of `orgCallers`) may say on whose behalf it asks; the
 * account accepts that person only if its own configuration allows them (`allowedCallers`), so the
 * org view never carries more authority into an account than the account gives: anyone else named
 * is refused with a 403 that names them. From anyone but the org role the header is ignored, so no
 * caller can pass itself off as someone else.
 */
export function callerThroughOrg(caller: string, headers: Readonly<Record<string, string>>, policy: OrgCallerPolicy): RequestCaller {
  const asked = headers[ORG_CALLER_HEADER];
  if (asked === undefined || !matchesAnyPrincipal(caller, policy.orgCallers)) return { name: caller, principal: caller };
  if (!PRINTABLE.test(asked)) {
    throw new SqsError('AccessDeniedException', `The org view asked on behalf of a caller whose name is not readable (${quote(asked, 32)}); this account accepts only the callers its configuration allows (org.allowedCallers)`, 403);
  }
  if (!matchesAnyPrincipal(asked, policy.allowedCallers)) {
    throw new SqsError('AccessDeniedException', `${asked} is not allowed to act in this account through the org view: this account accepts only the callers its configuration allows (org.allowedCallers)`, 403);
  }
  return { name: `${asked} via org`, principal: asked };
}
