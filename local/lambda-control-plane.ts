/**
 * What Lambda's control plane says of the local functions: the read calls an inventory makes to find
 * the functions' asynchronous dead-letter queues and on-failure destinations, in the REST-JSON shapes
 * the AWS SDK's LambdaClient reads.
 * - ListFunctions (`GET /2015-03-31/functions/`, `Marker`/`NextMarker`, at most 50 a page):
 *   https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html
 * - GetFunctionConfiguration (`GET /2015-03-31/functions/{name}/configuration`):
 *   https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
 * - GetFunctionEventInvokeConfig (`GET /2019-09-25/functions/{name}/event-invoke-config`):
 *   https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionEventInvokeConfig.html
 * - ListFunctionEventInvokeConfigs (`GET /2019-09-25/functions/{name}/event-invoke-config/list`):
 *   https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionEventInvokeConfigs.html
 * Left out: versions and aliases (every function is `$LATEST`), on-success destinations, tags, layers.
 */

/** One function as the control plane describes it. */
export interface LocalFunctionConfiguration {
  readonly functionName: string;
  /** unqualified: `arn:aws:lambda:<region>:<account>:function:<name>` */
  readonly functionArn: string;
  readonly role: string;
  /** @default 'index.handler' */
  readonly handler?: string;
  /** the function's asynchronous dead-letter queue's ARN (`DeadLetterConfig.TargetArn`); @default - none */
  readonly deadLetterTargetArn?: string;
  /** its asynchronous invocation configuration (PutFunctionEventInvokeConfig); @default - none configured */
  readonly eventInvokeConfig?: {
    readonly maximumRetryAttempts: number;
    /** the on-failure destination's ARN; @default - none */
    readonly onFailureDestination?: string;
  };
}

export interface ControlPlaneAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** ISO 8601 as FunctionConfiguration.LastModified spells it (`2019-10-14T22:47:59.479+0000`), fixed at start. */
const STARTED = new Date();
const LAST_MODIFIED = STARTED.toISOString().replace('Z', '+0000');
const MAX_FUNCTIONS_PAGE = 50;

/**
 * The answer to a control-plane read, or undefined when the request is not one (an Invoke, say).
 * `functions` is looked up by name.
 */
export function answerControlPlane(method: string, rawUrl: string, functions: ReadonlyMap<string, LocalFunctionConfiguration>): ControlPlaneAnswer | undefined {
  if (method !== 'GET') return undefined;
  const url = new URL(rawUrl, 'http://local');
  if (/^\/2015-03-31\/functions\/?$/.test(url.pathname)) return listFunctions(url.searchParams, functions);
  const configuration = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/.exec(url.pathname);
  if (configuration) return withFunction(configuration[1]!, url.searchParams, functions, (fn) => ({ status: 200, body: functionConfiguration(fn) }));
  const invokeConfig = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config(\/list)?\/?$/.exec(url.pathname);
  if (invokeConfig) {
    return withFunction(invokeConfig[1]!, url.searchParams, functions, (fn) => {
      const config = eventInvokeConfig(fn);
      if (invokeConfig[2]) {
        const maxItems = numberParameter(url.searchParams, 'MaxItems', 1, 50);
        if (typeof maxItems !== 'number') return maxItems;
        return { status: 200, body: { FunctionEventInvokeConfigs: config ? [config] : [] } };
      }
      if (!config) return notFound(`The function ${fn.functionArn} doesn't have an EventInvokeConfig`);
      return { status: 200, body: config };
    });
  }
  return undefined;
}

function listFunctions(parameters: URLSearchParams, functions: ReadonlyMap<string, LocalFunctionConfiguration>): ControlPlaneAnswer {
  const maxItems = numberParameter(parameters, 'MaxItems', 1, 10_000);
  if (typeof maxItems !== 'number') return maxItems;
  const all = [...functions.values()].sort((a, b) => a.functionName.localeCompare(b.functionName));
  const marker = parameters.get('Marker');
  let start = 0;
  if (marker) {
    // the marker is opaque to callers: here, the name the next page starts at
    const from = Buffer.from(marker, 'base64url').toString('utf8');
    start = all.findIndex((fn) => fn.functionName >= from);
    if (start < 0 || !/^[a-zA-Z0-9_-]+$/.test(from)) return { status: 400, body: { Type: 'User', __type: 'InvalidParameterValueException', message: 'Invalid marker' } };
  }
  // "ListFunctions returns a maximum of 50 items in each response, even if you set the number higher"
  const size = Math.min(maxItems || MAX_FUNCTIONS_PAGE, MAX_FUNCTIONS_PAGE);
  const page = all.slice(start, start + size);
  const next = all[start + size];
  return { status: 200, body: { Functions: page.map(functionConfiguration), ...(next ? { NextMarker: Buffer.from(next.functionName).toString('base64url') } : {}) } };
}

function functionConfiguration(fn: LocalFunctionConfiguration): Record<string, unknown> {
  return {
    FunctionName: fn.functionName,
    FunctionArn: fn.functionArn,
    Runtime: 'nodejs22.x',
    Role: fn.role,
    Handler: fn.handler ?? 'index.handler',
    CodeSize: 0,
    Description: '',
    Timeout: 30,
    MemorySize: 128,
    LastModified: LAST_MODIFIED,
    Version: '$LATEST',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    State: 'Active',
    ...(fn.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } } : {}),
  };
}

function eventInvokeConfig(fn: LocalFunctionConfiguration): Record<string, unknown> | undefined {
  const config = fn.eventInvokeConfig;
  if (!config) return undefined;
  return {
    // a timestamp: REST-JSON sends epoch seconds
    LastModified: STARTED.getTime() / 1000,
    FunctionArn: `${fn.functionArn}:$LATEST`,
    MaximumRetryAttempts: config.maximumRetryAttempts,
    MaximumEventAgeInSeconds: 21_600,
    DestinationConfig: { OnSuccess: {}, OnFailure: config.onFailureDestination ? { Destination: config.onFailureDestination } : {} },
  };
}

/** The function a path names (name, partial or full ARN, with a qualifier that can only be `$LATEST` here). */
function withFunction(raw: string, parameters: URLSearchParams, functions: ReadonlyMap<string, LocalFunctionConfiguration>, then: (fn: LocalFunctionConfiguration) => ControlPlaneAnswer): ControlPlaneAnswer {
  const reference = parseFunctionReference(decodeURIComponent(raw), parameters.get('Qualifier'));
  const fn = functions.get(reference.name);
  if (!fn || (reference.qualifier !== undefined && reference.qualifier !== '$LATEST')) return notFound(`Function not found: ${fn?.functionArn ?? reference.name}${reference.qualifier ? `:${reference.qualifier}` : ''}`);
  return then(fn);
}

/** A function named as Lambda's paths name it: `name`, `account:function:name` or a full ARN, each with an optional `:qualifier`. */
export function parseFunctionReference(text: string, qualifierParameter?: string | null): { readonly name: string; readonly qualifier?: string } {
  const match = /^(?:arn:[^:]+:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::([^:]+))?$/.exec(text);
  const name = match?.[1] ?? text;
  const qualifier = qualifierParameter ?? match?.[2];
  return { name, ...(qualifier ? { qualifier } : {}) };
}

function notFound(message: string): ControlPlaneAnswer {
  return { status: 404, body: { Type: 'User', __type: 'ResourceNotFoundException', message } };
}

function numberParameter(parameters: URLSearchParams, name: string, min: number, max: number): number | ControlPlaneAnswer {
  const text = parameters.get(name);
  if (text === null) return 0;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    return { status: 400, body: { Type: 'User', __type: 'InvalidParameterValueException', message: `${name} must be an integer from ${min} to ${max}` } };
  }
  return value;
}
