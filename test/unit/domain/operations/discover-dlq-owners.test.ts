import { EventBridgeClient, ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { LambdaClient, ListFunctionEventInvokeConfigsCommand, ListFunctionsCommand, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';

import { EventBridgeRuleDeadLetterReader } from '../../../../lambda/adapters/eventbridge/eventbridge-rule-dead-letter-reader';
import { LambdaFunctionDeadLetterReader } from '../../../../lambda/adapters/lambda/lambda-function-dead-letter-reader';
import type { QueueAttributes } from '../../../../lambda/domain/dlq/dead-letter-queue';
import type { DlqInventory } from '../../../../lambda/domain/dlq/dlq-inventory';
import type { DlqOwnerReader } from '../../../../lambda/domain/dlq/dlq-owner-reader';
import { type DiscoveryOptions, newDiscoveryState } from '../../../../lambda/domain/operations/discover-dlq-owners';
import { refreshDlqInventory } from '../../../../lambda/domain/operations/refresh-dlq-inventory';
import { QueueScope } from '../../../../lambda/domain/queue-scope';

const ACCOUNT = '123456789012';
const queue = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const rule = (bus: string, name: string) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;

describe('discovery of the functions\' and rule targets\' DLQs', () => {
  const lambda = mockClient(LambdaClient);
  const events = mockClient(EventBridgeClient);
  afterEach(() => {
    lambda.reset();
    events.reset();
  });

  const functionReader = new LambdaFunctionDeadLetterReader(new LambdaClient({ region: 'us-east-1' }));
  const ruleReader = new EventBridgeRuleDeadLetterReader(new EventBridgeClient({ region: 'us-east-1' }));
  const reader: DlqOwnerReader = {
    listFunctions: () => functionReader.listFunctions(),
    onFailureDestinations: (arn) => functionReader.onFailureDestinations(arn),
    listEventBuses: () => ruleReader.listEventBuses(),
    listRules: (bus) => ruleReader.listRules(bus),
    listTargets: (ref) => ruleReader.listTargets(ref),
  };
  const queues = (...names: string[]): Record<string, QueueAttributes> =>
    Object.fromEntries(names.map((name) => [name, { queueArn: queue(name), queueName: name, approximateNumberOfMessages: 2, approximateNumberOfMessagesNotVisible: 0 }]));

  /** one inventory run over `listed` queues, managed `app-*`, with discovery on the mocked clients */
  const run = async (listed: Record<string, QueueAttributes>, state = newDiscoveryState(), options?: DiscoveryOptions, stored?: DlqInventory) => {
    let saved = stored;
    const summary = await refreshDlqInventory({
      queues: { listQueueUrls: async () => ({ queueUrls: Object.keys(listed), truncated: false }), readAttributes: async (url) => listed[url] },
      ages: { oldestMessageAges: async () => new Map() },
      inventory: { save: async (inventory) => ((saved = inventory), true), load: async () => saved },
      scope: new QueueScope({ accountId: ACCOUNT, region: 'us-east-1', managedQueues: [queue('app-*')] }),
      clock: { now: () => new Date('2026-12-07T12:00:00Z') },
      discovery: { reader, state, ...(options ? { options } : {}) },
    });
    return { summary, dlqs: saved?.dlqs ?? [], stored: saved };
  };
  const noRules = () => {
    events.on(ListEventBusesCommand).resolves({ EventBuses: [{ Name: 'default' }] });
    events.on(ListRulesCommand).resolves({ Rules: [] });
  };

  it('pages through ListFunctions and each function\'s configurations, and lists a function\'s DLQ and on-failure queue; a topic destination is ignored', async () => {
    // Prepare: two pages of functions; the second function's configurations on two pages
    lambda
      .on(ListFunctionsCommand, { Marker: undefined }).resolves({ Functions: [{ FunctionArn: fn('a'), DeadLetterConfig: { TargetArn: queue('app-a-dlq') } }], NextMarker: 'page-2' })
      .on(ListFunctionsCommand, { Marker: 'page-2' }).resolves({ Functions: [{ FunctionArn: fn('b') }, { FunctionArn: fn('c'), DeadLetterConfig: { TargetArn: topic } }] });
    lambda
      .on(ListFunctionEventInvokeConfigsCommand).resolves({ FunctionEventInvokeConfigs: [] })
      .on(ListFunctionEventInvokeConfigsCommand, { FunctionName: fn('b'), Marker: undefined }).resolves({ FunctionEventInvokeConfigs: [{ DestinationConfig: { OnFailure: { Destination: topic } } }], NextMarker: 'next' })
      .on(ListFunctionEventInvokeConfigsCommand, { FunctionName: fn('b'), Marker: 'next' }).resolves({ FunctionEventInvokeConfigs: [{ FunctionArn: `${fn('b')}:live`, DestinationConfig: { OnFailure: { Destination: queue('app-b-failures') } } }] })
      .on(ListFunctionEventInvokeConfigsCommand, { FunctionName: fn('c') }).resolves({ FunctionEventInvokeConfigs: [{ DestinationConfig: { OnFailure: { Destination: topic }, OnSuccess: { Destination: queue('app-c-ok') } } }] });
    noRules();

    // Act
    const { summary, dlqs } = await run(queues('app-a-dlq', 'app-b-failures', 'app-c-ok'));

    // Assess
    expect(lambda.commandCalls(ListFunctionsCommand).map((call) => call.args[0].input.MaxItems)).toEqual([50, 50]);
    expect(lambda.commandCalls(ListFunctionEventInvokeConfigsCommand)).toHaveLength(4);
    expect(dlqs.map(({ queueArn, origin, targets }) => ({ queueArn, origin, targets }))).toEqual([
      { queueArn: queue('app-a-dlq'), origin: 'lambda', targets: [{ arn: fn('a'), kind: 'function' }] },
      { queueArn: queue('app-b-failures'), origin: 'lambda', targets: [{ arn: fn('b'), kind: 'function' }] },
    ]);
    expect(summary.discovery).toEqual({ functions: 3, rules: 0, functionsRead: 3, rulesRead: 0, unread: 0 });
  });

  it('reads every bus\'s rules page by page, and lists each managed target DLQ; one outside the scope is ignored; several owners of one queue are several Targets', async () => {
    // Prepare
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionArn: fn('shipper'), DeadLetterConfig: { TargetArn: queue('app-shared-dlq') } }] });
    lambda.on(ListFunctionEventInvokeConfigsCommand).resolves({ FunctionEventInvokeConfigs: [] });
    events
      .on(ListEventBusesCommand, { NextToken: undefined }).resolves({ EventBuses: [{ Name: 'default' }], NextToken: 'b2' })
      .on(ListEventBusesCommand, { NextToken: 'b2' }).resolves({ EventBuses: [{ Name: 'orders' }] });
    events
      .on(ListRulesCommand, { EventBusName: 'default' }).resolves({ Rules: [{ Name: 'nightly', Arn: rule('default', 'nightly') }] })
      .on(ListRulesCommand, { EventBusName: 'orders', NextToken: undefined }).resolves({ Rules: [{ Name: 'placed', Arn: rule('orders', 'placed') }], NextToken: 'r2' })
      .on(ListRulesCommand, { EventBusName: 'orders', NextToken: 'r2' }).resolves({ Rules: [{ Name: 'paid', Arn: rule('orders', 'paid') }] });
    events
      .on(ListTargetsByRuleCommand, { Rule: 'nightly' }).resolves({ Targets: [{ Id: '1', Arn: fn('report'), DeadLetterConfig: { Arn: queue('other-team-dlq') } }] })
      .on(ListTargetsByRuleCommand, { Rule: 'placed', EventBusName: 'orders' }).resolves({
        Targets: [
          { Id: 'ship', Arn: fn('shipper'), DeadLetterConfig: { Arn: queue('app-shared-dlq') } },
          { Id: 'audit', Arn: queue('app-audit'), DeadLetterConfig: { Arn: queue('app-shared-dlq') } },
        ],
      })
      .on(ListTargetsByRuleCommand, { Rule: 'paid', EventBusName: 'orders' }).resolves({ Targets: [{ Id: 'bill', Arn: fn('biller') }] });

    // Act
    const { summary, dlqs } = await run(queues('app-shared-dlq', 'other-team-dlq', 'app-audit'));

    // Assess
    expect(events.commandCalls(ListRulesCommand)).toHaveLength(3);
    expect(dlqs).toHaveLength(1);
    expect(dlqs[0]).toEqual(expect.objectContaining({
      queueArn: queue('app-shared-dlq'),
      origin: 'lambda',
      sourceQueueArns: [],
      targets: [
        { arn: fn('shipper'), kind: 'function' },
        { arn: fn('shipper'), kind: 'rule-target', ruleArn: rule('orders', 'placed') },
        { arn: queue('app-audit'), kind: 'rule-target', ruleArn: rule('orders', 'placed') },
      ],
    }));
    expect(summary.discovery).toEqual(expect.objectContaining({ functions: 1, rules: 3, rulesRead: 3 }));
  });

  it('records each rule target\'s input transformation and FIFO message group (ListTargetsByRule), and keeps them after a cold start', async () => {
    // Prepare: four targets failing into one DLQ: plain, transformed two ways, and a FIFO queue with its group
    lambda.on(ListFunctionsCommand).resolves({ Functions: [] });
    events.on(ListEventBusesCommand).resolves({ EventBuses: [{ Name: 'default' }] });
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: 'placed', Arn: rule('default', 'placed') }] });
    const dlq = { DeadLetterConfig: { Arn: queue('app-dlq') } };
    events.on(ListTargetsByRuleCommand).resolves({
      Targets: [
        { Id: 'plain', Arn: queue('app-plain'), ...dlq },
        { Id: 'shaped', Arn: fn('shaped'), InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '{"id": <id>}' }, ...dlq },
        { Id: 'part', Arn: fn('part'), InputPath: '$.detail', ...dlq },
        { Id: 'ordered', Arn: queue('app-ordered.fifo'), SqsParameters: { MessageGroupId: 'orders' }, ...dlq },
      ],
    });
    const placed = rule('default', 'placed');
    const expected = [
      { arn: fn('part'), kind: 'rule-target', ruleArn: placed, inputTransformation: 'InputPath' },
      { arn: fn('shaped'), kind: 'rule-target', ruleArn: placed, inputTransformation: 'InputTransformer' },
      { arn: queue('app-ordered.fifo'), kind: 'rule-target', ruleArn: placed, messageGroupId: 'orders' },
      { arn: queue('app-plain'), kind: 'rule-target', ruleArn: placed },
    ];

    // Act: a run, then a cold start that may read no rule
    const first = await run(queues('app-dlq'));
    events.reset();
    noRules();
    events.on(ListRulesCommand).resolves({ Rules: [{ Name: 'placed', Arn: placed }] });
    const coldStart = await run(queues('app-dlq'), newDiscoveryState(), { ruleReadsPerRun: 0 }, first.stored);

    // Assess
    expect(first.dlqs.map((entry) => entry.targets)).toEqual([expected]);
    expect(events.commandCalls(ListTargetsByRuleCommand)).toHaveLength(0);
    expect(coldStart.dlqs.map((entry) => entry.targets)).toEqual([expected]);
  });

  it('reads at most its budget of functions a run, new ones first, and keeps what it read', async () => {
    // Prepare: 5 functions, a budget of 2; e fails into a queue
    lambda.on(ListFunctionsCommand).resolves({ Functions: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ FunctionArn: fn(name) })) });
    lambda.on(ListFunctionEventInvokeConfigsCommand).resolves({ FunctionEventInvokeConfigs: [] })
      .on(ListFunctionEventInvokeConfigsCommand, { FunctionName: fn('e') }).resolves({ FunctionEventInvokeConfigs: [{ DestinationConfig: { OnFailure: { Destination: queue('app-e-failures') } } }] });
    noRules();
    const state = newDiscoveryState();
    const listed = queues('app-e-failures');

    // Act: three runs
    const runs = [];
    for (let at = 0; at < 3; at += 1) runs.push(await run(listed, state, { functionReadsPerRun: 2 }));

    // Assess: 2 reads a run; e is found on the third, and every function was read once
    expect(runs.map((one) => one.summary.discovery?.functionsRead)).toEqual([2, 2, 2]);
    expect(runs.map((one) => one.dlqs.length)).toEqual([0, 0, 1]);
    expect(runs[2]!.summary.discovery?.unread).toBe(0);
    expect(lambda.commandCalls(ListFunctionEventInvokeConfigsCommand).slice(0, 5).map((call) => call.args[0].input.FunctionName)).toEqual(['a', 'b', 'c', 'd', 'e'].map(fn));
  });

  it('keeps the stored owners when Lambda throttles past the retries, and after a cold start until each owner is read again', async () => {
    // Prepare: a stored inventory with a function's on-failure queue; Lambda then throttles
    lambda.on(ListFunctionsCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    noRules();
    const stored: DlqInventory = {
      asOf: '2026-12-07T11:59:00.000Z',
      dlqs: [{ queueArn: queue('app-f-failures'), queueName: 'app-f-failures', approximateNumberOfMessages: 1, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'lambda', targets: [{ arn: fn('f'), kind: 'function' }] }],
    };

    // Act
    const throttled = await run(queues('app-f-failures'), newDiscoveryState(), undefined, stored);
    lambda.reset();
    lambda.on(ListFunctionsCommand).resolves({ Functions: [{ FunctionArn: fn('new') }, { FunctionArn: fn('f') }] });
    lambda.on(ListFunctionEventInvokeConfigsCommand).resolves({ FunctionEventInvokeConfigs: [] });
    const coldStart = await run(queues('app-f-failures'), newDiscoveryState(), { functionReadsPerRun: 1 }, stored);

    // Assess
    expect(throttled.summary.discoveryError).toMatch(/Rate exceeded/);
    expect(throttled.dlqs).toEqual([expect.objectContaining({ queueArn: queue('app-f-failures'), origin: 'lambda', targets: [{ arn: fn('f'), kind: 'function' }] })]);
    // the new function is read first; f, not read yet, keeps its stored queue
    expect(lambda.commandCalls(ListFunctionEventInvokeConfigsCommand).map((call) => call.args[0].input.FunctionName)).toEqual([fn('new')]);
    expect(coldStart.dlqs.map((dlq) => dlq.targets)).toEqual([[{ arn: fn('f'), kind: 'function' }]]);
    expect(coldStart.summary.discovery?.unread).toBe(1);
  });
});
