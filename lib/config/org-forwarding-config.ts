import { ConfigError } from './config-error';
import { describeValue } from './describe-value';

/** An account stack's `org` section: where its events go, and whose requests may name a person via the org. */
export interface OrgForwardingConfig {
  /** the org stack's bus, e.g. `arn:aws:events:eu-west-1:444455556666:event-bus/redrive-org` */
  readonly busArn: string;
  /** the org API function's role(s): admitted to this account's API, and trusted to name who asked */
  readonly apiRoleArns: readonly string[];
  /**
   * The persons the org view may act for in this account (IAM role or user ARNs, a trailing `*`
   * allowed): the account's consent, checked by its api function against the person the org names.
   * @default - the account's api.allowedPrincipals
   */
  readonly allowedCallers: readonly string[];
}

const KEYS = ['busArn', 'apiRoleArns', 'allowedCallers'];
const PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]*[\w+=,.@-]\*?$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:event-bus\/[\w.-]{1,256}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]*[\w+=,.@-]$/;

/** `allowedPrincipals`: the account's api.allowedPrincipals, the default of `allowedCallers`. */
export function parseOrgForwardingConfig(raw: unknown, at: (key: string) => string, allowedPrincipals: readonly string[]): OrgForwardingConfig | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${at('org')} must be an object {"busArn", "apiRoleArns"}; got ${describeValue(raw)}`);
  const org = raw as Record<string, unknown>;
  for (const key of Object.keys(org)) if (!KEYS.includes(key)) throw new ConfigError(`${at(`org.${key}`)} is not a known key; known keys: ${KEYS.join(', ')}`);
  if (typeof org.busArn !== 'string' || !BUS_ARN.test(org.busArn)) {
    throw new ConfigError(`${at('org.busArn')} must be the org stack's event bus ARN, e.g. "arn:aws:events:eu-west-1:444455556666:event-bus/redrive-org"; got ${describeValue(org.busArn)}`);
  }
  if (!Array.isArray(org.apiRoleArns) || org.apiRoleArns.length === 0) throw new ConfigError(`${at('org.apiRoleArns')} must list the org API function's role ARN (the org stack's OrgApiRoleArn output)`);
  const apiRoleArns = org.apiRoleArns.map((value, index) => {
    if (typeof value !== 'string' || !ROLE_ARN.test(value)) throw new ConfigError(`${at(`org.apiRoleArns[${index}]`)} must be an IAM role ARN, e.g. "arn:aws:iam::444455556666:role/redrive-org-api"; got ${describeValue(value)}`);
    return value;
  });
  const allowedCallers = org.allowedCallers === undefined ? [...allowedPrincipals] : parseAllowedCallers(org.allowedCallers, at);
  if (allowedCallers.length === 0) {
    throw new ConfigError(`${at('org.allowedCallers')} must list the IAM principals the org view may act for in this account (it defaults to api.allowedPrincipals, which is empty here): the account cannot tell a member of api.organizationId from the org's header`);
  }
  return { busArn: org.busArn, apiRoleArns, allowedCallers };
}

function parseAllowedCallers(raw: unknown, at: (key: string) => string): string[] {
  if (!Array.isArray(raw)) throw new ConfigError(`${at('org.allowedCallers')} must be a list of IAM role or user ARNs (a trailing * is allowed); got ${describeValue(raw)}`);
  return raw.map((value: unknown, index) => {
    if (typeof value !== 'string' || !PRINCIPAL.test(value)) {
      throw new ConfigError(`${at(`org.allowedCallers[${index}]`)} must be an IAM role or user ARN the org view may act for, e.g. "arn:aws:iam::444455556666:role/ops" (a trailing * is allowed); got ${describeValue(value)}`);
    }
    return value;
  });
}
