import { partitionOf } from '../../lib/config/controller-config';
import { LAMBDA_ENTRIES } from '../../lib/lambda-bundling';
import { describeStack, type StackDescription } from './describe-stack';
import { forAccount, LOCAL_CONFIG_FILE, readConfigFile } from './local-config';
import { synthesizeTemplate } from './synthesize';

/** What the local stack names the template's rules (the events function records the name in `cancelledBy`). */
export const LOCAL_RULE_NAMES = {
  CancelEvents: 'redrive-controller-cancel-event',
  CircuitBreakerAlarms: 'redrive-controller-circuit-breaker',
  ReconcileSchedule: 'redrive-controller-reconcile',
  InventorySchedule: 'redrive-controller-inventory',
} as const;

export interface LocalDescriptionOptions {
  /** raw configuration JSON in the deployment's format; @default - config/local/local.json */
  readonly config?: Readonly<Record<string, unknown>>;
  /** the account the stack plays; the configuration's account ARNs move to it. @default - the configuration's */
  readonly accountId?: string;
  readonly tableName: string;
  readonly apiId: string;
  readonly queueUrl?: (name: string) => string;
}

export interface LocalDescription {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly description: StackDescription;
  /** the synthesis came from the cache */
  readonly cached: boolean;
}

/** an entry's local function (and role) name */
export function localFunctionName(entry: string): string {
  return `redrive-controller-${entry}`;
}

/** Synthesizes (or reads from the cache) the configuration's stack and describes it with the local names. */
export async function describeLocalStack(options: LocalDescriptionOptions): Promise<LocalDescription> {
  const base = options.config ?? readConfigFile(LOCAL_CONFIG_FILE);
  const config = options.accountId ? forAccount(base, options.accountId) : base;
  const accountId = String(config.account);
  const region = String(config.region);
  const { stackName, template, cached } = await synthesizeTemplate(config);
  const description = describeStack(template, {
    partition: partitionOf(region),
    region,
    accountId,
    stackName,
    entries: Object.keys(LAMBDA_ENTRIES),
    functionName: localFunctionName,
    tableName: options.tableName,
    apiId: options.apiId,
    ruleNames: LOCAL_RULE_NAMES,
    ...(options.queueUrl ? { queueUrl: options.queueUrl } : {}),
  });
  return { stackName, accountId, region, description, cached };
}
