import { DEFAULT_ORG_RETENTION_DAYS } from '../../lambda/config/org-environment';
import { ConfigError } from '../config/config-error';
import type { ApiConfig } from '../config/controller-config';
import { describeValue } from '../config/describe-value';

/** One org stack's settings, as `config/org/<name>.json` holds them (docs/organization.md). */
export interface OrgConfig {
  readonly name: string;
  /** the tooling account the org stack is deployed to */
  readonly account: string;
  readonly region: string;
  /** the organization whose accounts' events the bus admits, and nobody else */
  readonly organizationId: string;
  /** @default 'redrive-org' */
  readonly busName: string;
  /** who may call the org API (IAM authorization), as an account's api section */
  readonly api: Pick<ApiConfig, 'rateLimit' | 'burstLimit' | 'allowedPrincipals'>;
  /** the account APIs the org API routes actions to */
  readonly accounts: ReadonlyArray<{ readonly accountId: string; readonly region: string; readonly apiUrl: string }>;
  readonly logRetentionDays: number;
  /**
   * days the org view keeps a finished task's row (DynamoDB TTL): set it to the accounts'
   * `retentionDays`, so the org view forgets a task when its account does; @default 90
   */
  readonly retentionDays: number;
}

const KEYS = ['account', 'region', 'organizationId', 'busName', 'api', 'accounts', 'logRetentionDays', 'retentionDays', '$comment'];
const PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/[\w+=,.@/-]*[\w+=,.@-]\*?$/;
// the account stack's ApiUrl output as CDK writes it (with its trailing slash) or without it
const API_URL = /^https:\/\/[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/[\w-]+\/?$/;

export function parseOrgConfig(raw: unknown, name: string): OrgConfig {
  const at = (key: string) => `config/org/${name}.json: ${key}`;
  const root = asObject(raw, at('(root)'));
  for (const key of Object.keys(root)) if (!KEYS.includes(key)) throw new ConfigError(`${at(key)} is not a known key; known keys: ${KEYS.filter((k) => k !== '$comment').join(', ')}`);
  const text = (value: unknown, where: string, expected: string, pattern: RegExp): string => {
    if (typeof value !== 'string' || !pattern.test(value)) throw new ConfigError(`${where} must be ${expected}; got ${describeValue(value)}`);
    return value;
  };
  const api = asObject(root.api, at('api'));
  const allowedPrincipals = asArray(api.allowedPrincipals, at('api.allowedPrincipals'), 1).map((value, index) => text(value, at(`api.allowedPrincipals[${index}]`), 'an IAM role or user ARN (a trailing * is allowed)', PRINCIPAL));
  const seen = new Map<string, number>();
  const accounts = asArray(root.accounts, at('accounts'), 1).map((value, index) => {
    const entry = asObject(value, at(`accounts[${index}]`));
    const accountId = text(entry.AccountId, at(`accounts[${index}].AccountId`), 'a 12-digit account id', /^\d{12}$/);
    const region = text(entry.Region, at(`accounts[${index}].Region`), 'an AWS region', /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/);
    const apiUrl = text(entry.ApiUrl, at(`accounts[${index}].ApiUrl`), "the account stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1/", API_URL);
    // the signature and the IAM grant are scoped to Region: a URL of another region could never be called
    const urlRegion = API_URL.exec(apiUrl)![1];
    if (urlRegion !== region) throw new ConfigError(`${at(`accounts[${index}].ApiUrl`)} is an API in ${urlRegion}, but Region says ${region}: they must be the same`);
    // routing and the account's totals go by account: one controller per account in one org view
    if (seen.has(accountId)) throw new ConfigError(`${at(`accounts[${index}].AccountId`)} ${accountId} is already accounts[${seen.get(accountId)}]: the org view routes to one controller per account`);
    seen.set(accountId, index);
    return { accountId, region, apiUrl: apiUrl.replace(/\/$/, '') };
  });
  const integer = (value: unknown, where: string, fallback: number, max: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw new ConfigError(`${where} must be an integer from 1 to ${max}; got ${describeValue(value)}`);
    return value;
  };
  return {
    name,
    account: text(root.account, at('account'), 'a 12-digit AWS account id', /^\d{12}$/),
    region: text(root.region, at('region'), 'an AWS region, e.g. "eu-west-1"', /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/),
    organizationId: text(root.organizationId, at('organizationId'), 'an AWS Organizations id, e.g. "o-a1b2c3d4e5"', /^o-[a-z0-9]{10,32}$/),
    busName: root.busName === undefined ? 'redrive-org' : text(root.busName, at('busName'), 'an EventBridge bus name', /^[\w.-]{1,256}$/),
    api: { rateLimit: integer(api.rateLimit, at('api.rateLimit'), 10, 10_000), burstLimit: integer(api.burstLimit, at('api.burstLimit'), 20, 5_000), allowedPrincipals },
    accounts,
    logRetentionDays: integer(root.logRetentionDays, at('logRetentionDays'), 90, 3653),
    // the same range as an account's retentionDays
    retentionDays: integer(root.retentionDays, at('retentionDays'), DEFAULT_ORG_RETENTION_DAYS, 3650),
  };
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be an object; got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, where: string, minimum: number): unknown[] {
  if (!Array.isArray(value) || value.length < minimum) throw new ConfigError(`${where} must be a list of at least ${minimum}; got ${describeValue(value)}`);
  return value;
}
