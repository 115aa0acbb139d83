import { type RequestAnalysis, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

/**
 * IAM's policy evaluation for the local stack: one evaluator for the functions' calls, the API's
 * resource policy and the buses' policies. The decision comes from @cloud-copilot/iam-simulate, an
 * evaluator of the whole IAM logic (explicit deny, same- and cross-account rules, every condition
 * operator), not from code of ours. What it does not do, this module does: fill in the context keys
 * AWS sets for every request (`aws:PrincipalArn`, `aws:PrincipalAccount`, ...).
 *
 * Left out (docs/local-stack.md lists every difference): SCPs, RCPs, permission boundaries, session
 * and VPC endpoint policies, and the context keys no local request can know (source IP, VPC, tags).
 *
 * Policy evaluation logic: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * Cross-account: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */

/** A policy document as IAM and CloudFormation write it (`{ Version, Statement }`). */
export type PolicyDocument = Readonly<Record<string, unknown>>;

/** A policy attached to a role: an inline policy (`AWS::IAM::Policy`) or a managed one, by its name. */
export interface IdentityPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface AuthorizationRequest {
  /** who asks: a role ARN, an assumed-role session ARN, or an account's root */
  readonly principal: string;
  /** `service:Action`, as IAM names it (`sqs:ReceiveMessage`) */
  readonly action: string;
  /** the resource's ARN, or `*` for actions without a resource type */
  readonly resource: string;
  /** extra context keys (`events:source`, `aws:PrincipalOrgID`, ...); they override the ones filled in */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface PolicySet {
  /** the principal's identity policies; an unknown principal has none */
  readonly identityPolicies: readonly IdentityPolicy[];
  /** the resource's own policy (queue, bus, API, function), if it has one */
  readonly resourcePolicy?: PolicyDocument;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface Evaluation {
  readonly decision: Decision;
  /**
   * Which policy type decided a denial, as AWS's error messages name it: `identity` (no identity
   * policy allows, or one denies) or `resource` (no resource policy allows, or it denies).
   * @default - absent when allowed
   */
  readonly deniedBy?: 'identity' | 'resource';
}

/** Thrown when the evaluator refuses its input: a malformed policy or an action IAM does not know. */
export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

/**
 * Evaluates one request against the policies, as IAM does for every API call. Policy documents are
 * taken as immutable: a decision is remembered for the same request and the same documents (unless a
 * policy names a time key), since the evaluator's validation of its input costs about 2 ms a call.
 */
export async function evaluateAuthorization(request: AuthorizationRequest, policies: PolicySet): Promise<Evaluation> {
  const key = cacheKey(request, policies);
  const known = key === undefined ? undefined : decisions.get(key);
  if (known) return known;
  const evaluation = await evaluateOnce(request, policies);
  if (key !== undefined) {
    // bounded: a long-running `npm start` meets few distinct requests, but never an unbounded number
    if (decisions.size >= MAX_REMEMBERED) decisions.clear();
    decisions.set(key, evaluation);
  }
  return evaluation;
}

const MAX_REMEMBERED = 10_000;
const decisions = new Map<string, Evaluation>();
const documentIds = new WeakMap<object, number>();
const timeDependent = new WeakMap<object, boolean>();
let nextDocumentId = 1;

/** The same request on the same documents; undefined when the answer may change with the clock. */
function cacheKey(request: AuthorizationRequest, policies: PolicySet): string | undefined {
  const documents = [...policies.identityPolicies.map((policy) => policy.document), ...(policies.resourcePolicy ? [policies.resourcePolicy] : [])];
  const ids: number[] = [];
  for (const document of documents) {
    let dependsOnTime = timeDependent.get(document);
    if (dependsOnTime === undefined) {
      dependsOnTime = /aws:(CurrentTime|EpochTime)/i.test(JSON.stringify(document));
      timeDependent.set(document, dependsOnTime);
      documentIds.set(document, nextDocumentId++);
    }
    if (dependsOnTime) return undefined;
    ids.push(documentIds.get(document)!);
  }
  return JSON.stringify([request.principal, request.action, request.resource, request.context ?? null, ids]);
}

async function evaluateOnce(request: AuthorizationRequest, policies: PolicySet): Promise<Evaluation> {
  const principalAccount = accountOfPrincipal(request.principal);
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: accountOfResource(request.resource) ?? principalAccount },
      contextVariables: { ...requestContext(request.principal, request.resource), ...copy(request.context) },
    },
    identityPolicies: policies.identityPolicies.map((policy) => ({ name: policy.name, policy: policy.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.resourcePolicy ? { resourcePolicy: policies.resourcePolicy } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new PolicyEvaluationError(`cannot evaluate ${request.action} on ${request.resource}: ${result.errors.message} ${JSON.stringify(result.errors)}`);
  const decision = result.overallResult;
  if (decision === 'Allowed') return { decision };
  const analyses = result.resultType === 'single' ? [result.result.analysis] : result.results.map((one) => one.analysis);
  return { decision, deniedBy: decision === 'ExplicitlyDenied' ? explicitDenier(analyses) : implicitDenier(analyses) };
}

/** An explicit deny in the resource's policy is named as such; any other is an identity policy's. */
function explicitDenier(analyses: readonly RequestAnalysis[]): 'identity' | 'resource' {
  return analyses.some((analysis) => (analysis.resourceAnalysis?.denyStatements.length ?? 0) > 0) ? 'resource' : 'identity';
}

/** Nothing allowed: the identity side, unless it did allow and the resource's account did not (cross-account). */
function implicitDenier(analyses: readonly RequestAnalysis[]): 'identity' | 'resource' {
  return analyses.some((analysis) => analysis.identityAnalysis?.result === 'Allowed') ? 'resource' : 'identity';
}

/**
 * The context keys AWS sets on every request by a role session, which the evaluator leaves to its caller.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
function requestContext(principal: string, resource: string): Record<string, string> {
  const now = new Date();
  const roleArn = roleArnOf(principal);
  const account = accountOfPrincipal(principal);
  const region = /^arn:[^:]+:[^:]+:([a-z0-9-]+):/.exec(resource)?.[1];
  return {
    'aws:PrincipalArn': roleArn ?? principal,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': roleArn ? 'AssumedRole' : principal.endsWith(':root') ? 'Account' : 'User',
    // deployed, every SDK call is HTTPS; a policy that requires it must not fail only locally
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    ...(region ? { 'aws:RequestedRegion': region } : {}),
  };
}

/** The role a principal acts as: the role itself, or the role of an assumed-role session. */
export function roleArnOf(principal: string): string | undefined {
  if (/^arn:[^:]+:iam::\d{12}:role\//.test(principal)) return principal;
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : undefined;
}

export function accountOfPrincipal(principal: string): string {
  const account = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
  if (!account) throw new PolicyEvaluationError(`not an IAM principal ARN: ${principal}`);
  return account;
}

/** The account in a resource ARN (`arn:partition:service:region:account:...`); S3 ARNs have none. */
function accountOfResource(resource: string): string | undefined {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(resource)?.[1];
}

function copy(context: AuthorizationRequest['context']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(context ?? {})) out[key] = typeof value === 'string' ? value : [...value];
  return out;
}
