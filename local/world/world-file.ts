import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

import { parseEventPattern } from '../../lambda/domain/content-filter/event-pattern';

/**
 * The application around the controller, as `LOCAL_WORLD` names it (API.md section 11): user functions
 * run with Lambda's asynchronous invocation, and rules on the local buses with their targets. Queues are
 * named, in the local account; a queue may be created after the start, as an application's would be.
 */
export interface LocalWorld {
  readonly functions: readonly WorldFunction[];
  readonly rules: readonly WorldRule[];
}

export interface WorldFunction {
  /** the function's name, as Lambda spells names (1..64 of `a-zA-Z0-9-_`) */
  readonly name: string;
  /** the absolute path of the ES module exporting `handler` */
  readonly handler: string;
  /** the queue Lambda sends a failed asynchronous event to (`DeadLetterConfig`); @default - none */
  readonly deadLetterQueue?: string;
  /** the queue that receives the invocation record of a failed event (on-failure destination); @default - none */
  readonly onFailure?: string;
  /** 0..2, as PutFunctionEventInvokeConfig takes it; @default 2 */
  readonly maximumRetryAttempts: number;
}

export interface WorldRule {
  readonly name: string;
  /** @default 'default' */
  readonly eventBusName: string;
  readonly eventPattern: object;
  readonly targets: readonly WorldRuleTarget[];
}

export interface WorldRuleTarget {
  readonly id: string;
  /** a world function's name (invoked asynchronously, as EventBridge invokes functions) */
  readonly function?: string;
  /** a queue's name (SendMessage) */
  readonly queue?: string;
  /** the target's dead-letter queue (`DeadLetterConfig.Arn`); @default - none: a failed event is dropped */
  readonly deadLetterQueue?: string;
  /** 0..185, as the target's RetryPolicy takes it; @default 185 */
  readonly maximumRetryAttempts: number;
}

/** A world file that cannot be run: says which field is wrong and what is expected. */
export class WorldFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorldFileError';
  }
}

// Lambda's function names, SQS's queue names, EventBridge's rule, target and bus names
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,80}$/;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

/** Reads and checks the file LOCAL_WORLD names; handler paths are relative to the file. */
export function readWorldFile(file: string): LocalWorld {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WorldFileError(`LOCAL_WORLD: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WorldFileError(`LOCAL_WORLD: ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseWorld(json, dirname(resolve(file)));
}

/** Checks a world (API.md section 11) and resolves its handler paths against `baseDir`. */
export function parseWorld(json: unknown, baseDir: string): LocalWorld {
  const root = object(json, 'the world');
  allowedKeys(root, ['functions', 'rules'], 'the world');
  const functions = list(root.functions ?? [], 'functions').map((item, at) => parseFunction(item, `functions[${at}]`, baseDir));
  unique(functions.map((fn) => fn.name), 'function name');
  const names = new Set(functions.map((fn) => fn.name));
  const rules = list(root.rules ?? [], 'rules').map((item, at) => parseRule(item, `rules[${at}]`, names));
  unique(rules.map((rule) => `${rule.eventBusName}/${rule.name}`), 'rule name on a bus');
  return { functions, rules };
}

function parseFunction(json: unknown, where: string, baseDir: string): WorldFunction {
  const item = object(json, where);
  allowedKeys(item, ['name', 'handler', 'deadLetterQueue', 'onFailure', 'maximumRetryAttempts'], where);
  const name = named(item.name, `${where}.name`, FUNCTION_NAME, '1 to 64 letters, digits, - or _ (a Lambda function name)');
  const handlerPath = named(item.handler, `${where}.handler`, /.+/, 'the path of an ES module exporting handler, relative to the world file');
  const handler = isAbsolute(handlerPath) ? handlerPath : resolve(baseDir, handlerPath);
  if (!existsSync(handler)) throw new WorldFileError(`${where}.handler: no file ${handlerPath} (resolved against the world file's folder)`);
  return {
    name,
    handler,
    ...optionalQueue(item.deadLetterQueue, `${where}.deadLetterQueue`, 'deadLetterQueue'),
    ...optionalQueue(item.onFailure, `${where}.onFailure`, 'onFailure'),
    maximumRetryAttempts: retries(item.maximumRetryAttempts, `${where}.maximumRetryAttempts`, 2, 2),
  };
}

function parseRule(json: unknown, where: string, functions: ReadonlySet<string>): WorldRule {
  const item = object(json, where);
  allowedKeys(item, ['name', 'eventBusName', 'eventPattern', 'targets'], where);
  const name = named(item.name, `${where}.name`, RULE_NAME, '1 to 64 letters, digits, ., - or _ (an EventBridge rule name)');
  const eventBusName = item.eventBusName === undefined ? 'default' : named(item.eventBusName, `${where}.eventBusName`, BUS_NAME, 'an event bus name');
  const eventPattern = object(item.eventPattern, `${where}.eventPattern`);
  try {
    parseEventPattern(eventPattern);
  } catch (error) {
    throw new WorldFileError(`${where}.eventPattern: ${error instanceof Error ? error.message : String(error)}`);
  }
  const targets = list(item.targets, `${where}.targets`).map((target, at) => parseTarget(target, `${where}.targets[${at}]`, functions));
  // PutTargets: at most 5 targets per rule
  if (targets.length < 1 || targets.length > 5) throw new WorldFileError(`${where}.targets: 1 to 5 targets, as EventBridge allows; got ${targets.length}`);
  unique(targets.map((target) => target.id), `target id in ${where}`);
  return { name, eventBusName, eventPattern, targets };
}

function parseTarget(json: unknown, where: string, functions: ReadonlySet<string>): WorldRuleTarget {
  const item = object(json, where);
  allowedKeys(item, ['id', 'function', 'queue', 'deadLetterQueue', 'maximumRetryAttempts'], where);
  const id = named(item.id, `${where}.id`, RULE_NAME, '1 to 64 letters, digits, ., - or _ (a target id)');
  if ((item.function === undefined) === (item.queue === undefined)) throw new WorldFileError(`${where}: exactly one of "function" (a world function's name) or "queue" (a queue name)`);
  const fn = item.function === undefined ? undefined : named(item.function, `${where}.function`, FUNCTION_NAME, "a world function's name");
  if (fn !== undefined && !functions.has(fn)) throw new WorldFileError(`${where}.function: no world function is named ${fn}; the world has ${[...functions].join(', ') || 'none'}`);
  return {
    id,
    ...(fn !== undefined ? { function: fn } : {}),
    ...optionalQueue(item.queue, `${where}.queue`, 'queue'),
    ...optionalQueue(item.deadLetterQueue, `${where}.deadLetterQueue`, 'deadLetterQueue'),
    maximumRetryAttempts: retries(item.maximumRetryAttempts, `${where}.maximumRetryAttempts`, 185, 185),
  };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WorldFileError(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new WorldFileError(`${where} must be a JSON array`);
  return value;
}

function allowedKeys(item: Record<string, unknown>, keys: readonly string[], where: string): void {
  const unknown = Object.keys(item).filter((key) => !keys.includes(key));
  if (unknown.length > 0) throw new WorldFileError(`${where}: unknown field ${unknown.map((key) => `"${key}"`).join(', ')}; allowed: ${keys.join(', ')}`);
}

function named(value: unknown, where: string, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new WorldFileError(`${where} must be ${expected}; got ${JSON.stringify(value)}`);
  return value;
}

function optionalQueue<K extends string>(value: unknown, where: string, key: K): Partial<Record<K, string>> {
  if (value === undefined) return {};
  return { [key]: named(value, where, QUEUE_NAME, 'a queue name (1 to 80 letters, digits, - or _), in the local account') } as Partial<Record<K, string>>;
}

function retries(value: unknown, where: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new WorldFileError(`${where} must be an integer from 0 to ${max}; got ${JSON.stringify(value)}`);
  return value;
}

function unique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new WorldFileError(`duplicate ${what}: ${value}`);
    seen.add(value);
  }
}
