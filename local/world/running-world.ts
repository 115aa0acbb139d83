import type { LocalEventBus } from '../event-bus';
import { LambdaHost } from '../lambda-host';
import type { LocalLambdaEndpoint } from '../lambda-invoke-endpoint';
import type { IdentityPolicy } from '../policy/policy-evaluator';
import { AsyncInvocationQueue } from './async-invocation';
import { queueSender } from './queue-sender';
import { ruleTargetDelivery } from './rule-delivery';
import type { LocalWorld } from './world-file';

/** The local world, running: its functions on Lambda's API, its rules on the local buses. */
export interface RunningWorld {
  /** each world function's ARN, by name */
  readonly functionArns: Readonly<Record<string, string>>;
  /** each world rule's ARN, by name */
  readonly ruleArns: Readonly<Record<string, string>>;
  /** resolves once every asynchronous invocation queued so far has run to its end */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  readonly world: LocalWorld;
  readonly accountId: string;
  readonly region: string;
  /** the SQS emulator: destinations, dead-letter queues and queue targets are sent there */
  readonly sqsUrl: string;
  readonly eventBus: LocalEventBus;
  readonly lambda: LocalLambdaEndpoint;
  /** the functions' environment: region, credentials, the emulators' endpoints */
  readonly env: Readonly<Record<string, string>>;
  /** @default 1000 */
  readonly retryDelayMs?: number;
  readonly onLog: (line: string) => void;
}

/** Starts each world function in its own process, registers it with Lambda's API and adds the world's rules to the bus. */
export async function startWorld(options: WorldOptions): Promise<RunningWorld> {
  const { world, accountId, region } = options;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const queues = queueSender({ sqsUrl: options.sqsUrl, accountId, region });
  const hosts: LambdaHost[] = [];
  const invocations = new Map<string, AsyncInvocationQueue>();
  const functionArns: Record<string, string> = {};
  const stop = async () => {
    for (const queue of invocations.values()) queue.stop();
    await Promise.all(hosts.map((host) => host.stop()));
    queues.close();
  };
  try {
    for (const fn of world.functions) {
      const functionArn = `arn:aws:lambda:${region}:${accountId}:function:${fn.name}`;
      functionArns[fn.name] = functionArn;
      const host = await LambdaHost.start({ bundle: fn.handler, env: { ...options.env, AWS_LAMBDA_FUNCTION_NAME: fn.name }, onLog: options.onLog }).catch((error: unknown) => {
        throw new Error(`LOCAL_WORLD: function ${fn.name}: its handler ${fn.handler} did not load: ${error instanceof Error ? error.message : String(error)}`);
      });
      hosts.push(host);
      const queue = new AsyncInvocationQueue({
        functionArn,
        maximumRetryAttempts: fn.maximumRetryAttempts,
        retryDelayMs,
        run: (event, requestId) => host.invoke(event, requestId),
        ...(fn.onFailure ? { onFailure: (record) => queues.send(fn.onFailure!, JSON.stringify(record)) } : {}),
        ...(fn.deadLetterQueue ? { deadLetter: (body, attributes) => queues.send(fn.deadLetterQueue!, body, attributes) } : {}),
        onLog: options.onLog,
      });
      invocations.set(fn.name, queue);
      options.lambda.register(fn.name, {
        invoke: (event) => host.invoke(event),
        invokeAsync: (event) => void queue.enqueue(event),
        configuration: {
          functionName: fn.name,
          functionArn,
          // the world's functions have no roles here; Lambda names one for every function
          role: `arn:aws:iam::${accountId}:role/${fn.name}-role`,
          handler: 'index.handler',
          ...(fn.deadLetterQueue ? { deadLetterTargetArn: queues.arnOf(fn.deadLetterQueue) } : {}),
          // the event-invoke config exists when the world says more than the defaults
          ...(fn.onFailure !== undefined || fn.maximumRetryAttempts !== 2
            ? { eventInvokeConfig: { maximumRetryAttempts: fn.maximumRetryAttempts, ...(fn.onFailure ? { onFailureDestination: queues.arnOf(fn.onFailure) } : {}) } }
            : {}),
        },
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const ruleArns: Record<string, string> = {};
  for (const rule of world.rules) {
    const ruleArn = `arn:aws:events:${region}:${accountId}:rule/${rule.eventBusName === 'default' ? '' : `${rule.eventBusName}/`}${rule.name}`;
    ruleArns[rule.name] = ruleArn;
    const deliveries = rule.targets.map((target) =>
      ruleTargetDelivery({
        ruleArn,
        target,
        accountId,
        region,
        queues,
        invokeAsync: (name, event) => {
          const queue = invocations.get(name);
          queue?.enqueue(event);
          return queue !== undefined;
        },
        retryDelayMs,
        onLog: options.onLog,
      }),
    );
    options.eventBus.addRule({
      name: rule.name,
      eventBusName: rule.eventBusName,
      pattern: rule.eventPattern,
      targets: deliveries.map((delivery) => delivery.listed),
      // each target on its own: one target's failure does not hold back another's delivery
      target: async (event) => {
        await Promise.all(deliveries.map((delivery) => delivery.deliver(event)));
      },
    });
  }

  return {
    functionArns,
    ruleArns,
    idle: async () => {
      await options.eventBus.idle();
      await Promise.all([...invocations.values()].map((queue) => queue.idle()));
    },
    stop,
  };
}

/**
 * The local operator plays the world's application: it may invoke the world's functions (the demo's
 * `aws lambda invoke`) and put events on the world's buses, as the application's own roles would.
 */
export function worldOperatorPolicy(accountId: string, region: string, world: LocalWorld): IdentityPolicy {
  const functions = world.functions.map((fn) => `arn:aws:lambda:${region}:${accountId}:function:${fn.name}`);
  const buses = [...new Set(world.rules.map((rule) => `arn:aws:events:${region}:${accountId}:event-bus/${rule.eventBusName}`))];
  return {
    name: "local operator: the world's application",
    document: {
      Version: '2012-10-17',
      Statement: [
        ...(functions.length > 0 ? [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [...functions, ...functions.map((arn) => `${arn}:*`)] }] : []),
        ...(buses.length > 0 ? [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: buses }] : []),
        // a world without functions or rules: the policy must still have a statement
        ...(functions.length === 0 && buses.length === 0 ? [{ Effect: 'Deny', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:*:*:function:none' }] : []),
      ],
    },
  };
}
