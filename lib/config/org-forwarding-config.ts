import { ConfigError } from './config-error';
import { describeValue } from './describe-value';

/** An account stack's `org` section: where its events go, and whose requests may name a person via the org. */
export interface OrgForwardingConfig {
  /** the org stack's bus, e.g. `arn:aws:events:eu-west-1:444455556666:event-bus/redrive-org` */
  readonly busArn: string;
  /** the org API function's role(s): admitted to this account's API, and trusted to name who asked */
  readonly apiRoleArns: readonly string[];
}

const KEYS = ['busArn', 'apiRoleArns'];
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:event-bus\/[\w.-]{1,256}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]*[\w+=,.@-]$/;

export function parseOrgForwardingConfig(raw: unknown, at: (key: string) => string): OrgForwardingConfig | undefined {
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
  return { busArn: org.busArn, apiRoleArns };
}
