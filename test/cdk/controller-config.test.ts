import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Match } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { circuitBreakerAlarms, ConfigError, parseControllerConfig } from '../../lib/config/controller-config';
import { loadConfigs, parseJsonFile, selectConfigs } from '../../lib/config/load-configs';
import { exampleConfig, exampleJson, ROOT, synthStack } from '../support/example-stack';

describe('parseControllerConfig', () => {
  it('resolves names and prefixes of config/example.json to ARNs of its account and region', () => {
    // Prepare
    const raw = exampleJson();

    // Act
    const config = parseControllerConfig(raw, 'example');

    // Assess
    expect(config.managedQueues).toEqual(['arn:aws:sqs:eu-west-1:111122223333:orders-dlq', 'arn:aws:sqs:eu-west-1:111122223333:payments-dlq*']);
    expect(config.allowedDestinations).toEqual(['arn:aws:sqs:eu-west-1:111122223333:orders-replay']);
    expect(config.circuitBreakers).toEqual([{ alarmName: 'orders-consumer-errors', queue: 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq' }]);
    expect(config).toMatchObject({ account: '111122223333', region: 'eu-west-1', partition: 'aws', eventBusName: 'redrive-controller-events', logLevel: 'INFO' });
  });

  it('maps one alarm named by two circuit breakers to both DLQs, in the function and in the rule', () => {
    // Prepare
    const raw = {
      ...exampleJson(),
      circuitBreakers: [{ alarmName: 'payments-errors', queue: 'orders-dlq' }, { alarmName: 'payments-errors', queue: 'payments-dlq-eu' }],
      recoveryPolicies: undefined,
    };

    // Act
    const config = parseControllerConfig(raw, 'example');
    const alarms = circuitBreakerAlarms(config.circuitBreakers);

    // Assess
    expect(alarms).toEqual({ 'payments-errors': ['arn:aws:sqs:eu-west-1:111122223333:orders-dlq', 'arn:aws:sqs:eu-west-1:111122223333:payments-dlq-eu'] });
    const { template } = synthStack({ config, entries: { api: 'lambda/entry/api.ts', events: 'lambda/entry/api.ts' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.circuitBreakerAlarms]: JSON.stringify(alarms) }) },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:payments-errors'], detail: { state: { value: ['ALARM'] } } }),
    });
  });

  it('gives the reconciler archiveBeforeExpiry\'s window, the archive bucket and the reads an archive start checks, only when configured; fails on a window past 14 days', () => {
    // Prepare
    const config = parseControllerConfig({ ...exampleJson(), archiveBeforeExpiry: 86_400 }, 'example');

    // Act
    const { template } = synthStack({ config, entries: { reconciler: 'lambda/entry/reconciler.ts' } });

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.archiveBeforeExpirySeconds]: '86400', [ENV.archiveBucketName]: Match.anyValue() }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CheckExpiringDlqs', Action: ['sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:GetQueueAttributes'] })]) },
    });
    expect(parseControllerConfig(exampleJson(), 'example').archiveBeforeExpiry).toBeUndefined();
    expect(() => parseControllerConfig({ ...exampleJson(), archiveBeforeExpiry: 1_209_601 }, 'example')).toThrow(/archiveBeforeExpiry must be an integer from 1 to 1209600/);
  });

  it("reads who may send cancel events: the senders' accounts join the stack's own, on a bus of its own", () => {
    // Act
    const config = exampleConfig();
    const defaults = exampleConfig({ events: undefined });

    // Assess
    expect(config.events).toEqual({
      busName: 'redrive-controller',
      allowedSenders: ['arn:aws:iam::111122223333:role/deploy-pipeline', 'arn:aws:iam::444455556666:role/incident-runbook'],
      senderAccounts: ['111122223333', '444455556666'],
      reservedConcurrency: 2,
    });
    // nobody listed: nobody may put cancel events (alarms still work)
    expect(defaults.events).toEqual({ busName: 'redrive-controller', allowedSenders: [], senderAccounts: ['111122223333'], reservedConcurrency: 2 });
  });

  it("lets the org view act for the account's own allowedPrincipals unless org.allowedCallers names others", () => {
    // Prepare
    const { allowedCallers: _listed, ...org } = exampleJson().org;

    // Act
    const defaulted = parseControllerConfig({ ...exampleJson(), org }, 'example');

    // Assess
    expect(defaulted.org?.allowedCallers).toEqual(exampleJson().api.allowedPrincipals);
    expect(exampleConfig().org?.allowedCallers).toEqual(['arn:aws:iam::444455556666:role/platform-oncall-*']);
  });

  it('takes the partition from the region', () => {
    // Prepare
    const raw = { ...exampleJson(), region: 'cn-north-1', allowedDestinations: [], replayTargets: [] };

    // Act
    const config = parseControllerConfig(raw, 'china');

    // Assess
    expect(config.managedQueues[0]).toBe('arn:aws-cn:sqs:cn-north-1:111122223333:orders-dlq');
  });

  it.each([
    ['a short account id', { account: '1234' }, /config\/bad\.json: account must be a 12-digit AWS account id.*got "1234"/],
    ['an account id as a number', { account: 111122223333 }, /account must be a 12-digit AWS account id.*got number 111122223333/],
    ['a region that is no region', { region: 'Europe' }, /region must be an AWS region, e\.g\. "eu-west-1"; got "Europe"/],
    ['no managed queues', { managedQueues: [] }, /managedQueues must list at least 1/],
    ['managed queues as a string', { managedQueues: 'orders-dlq' }, /managedQueues must be a list of at least 1; got "orders-dlq"/],
    ['a queue of another account', { managedQueues: ['arn:aws:sqs:eu-west-1:999999999999:orders-dlq'] }, /managedQueues\[0\] must be a queue name, a name prefix ending in \*, or an SQS queue ARN in 111122223333 \/ eu-west-1.*\(its account "999999999999" is not the config's 111122223333\)$/],
    ['a queue ARN copied from another region', { managedQueues: ['arn:aws:sqs:us-east-1:111122223333:orders-dlq'] }, /\(its region "us-east-1" is not the config's eu-west-1\)$/],
    ['a wildcard inside a name', { sourceQueues: ['orders', 'pay*ments'] }, /sourceQueues\[1\] must be a queue name/],
    ['nowhere to send', { sourceQueues: [], allowedDestinations: [] }, /^config\/bad\.json: sourceQueues or allowedDestinations must name at least one queue/],
    ['an unknown key', { managedQueue: ['x'] }, /managedQueue is not a known key; known keys: account, region/],
    ['no api section', { api: undefined }, /api must be an object; got nothing/],
    ['nobody may call', { api: { rateLimit: 10, burstLimit: 20, allowedPrincipals: [] } }, /api\.allowedPrincipals must list at least one IAM principal ARN \(or set api\.organizationId\)/],
    ['a principal that is a group', { api: { rateLimit: 10, burstLimit: 20, allowedPrincipals: ['arn:aws:iam::111122223333:group/ops'] } }, /api\.allowedPrincipals\[0\] must be an IAM role or user ARN/],
    ['a fractional rate', { api: { rateLimit: 2.5, burstLimit: 20, allowedPrincipals: ['arn:aws:iam::111122223333:role/x'] } }, /api\.rateLimit must be an integer from 1 to 10000; got number 2\.5/],
    ['the removed corsOrigins', { api: { ...exampleJson().api, corsOrigins: ['https://x.example.com'] } }, /api\.corsOrigins was removed/],
    ['an events sender that is a group', { events: { allowedSenders: ['arn:aws:iam::111122223333:group/ops'] } }, /events\.allowedSenders\[0\] must be an IAM role or user ARN/],
    ['an events key nobody knows', { events: { senders: [] } }, /events\.senders is not a known key; known keys: busName, allowedSenders/],
    ['the default bus for cancel events', { events: { busName: 'default' } }, /events\.busName must name a bus of the controller's own, not "default"/],
    ['the default bus for the controller\'s events', { eventBusName: 'default' }, /eventBusName names the bus the stack creates for the controller's events; "default" is the account's default bus/],
    ['a bus name the stack cannot create', { eventBusName: 'team/events' }, /eventBusName must be a name for the bus the stack creates/],
    ['one bus for cancels and the controller\'s events', { eventBusName: 'redrive-controller' }, /eventBusName must differ from events\.busName \("redrive-controller"\)/],
    ['an organization without its sender accounts', { events: { organizationId: 'o-a1b2c3d4e5' } }, /events\.senderAccounts must list the accounts whose events the cancel rule accepts/],
    ['no reserved concurrency for events', { events: { reservedConcurrency: 0 } }, /events\.reservedConcurrency must be an integer from 1 to 100; got number 0/],
    ['a mover smaller than Lambda allows', { mover: { memorySize: 64 } }, /mover\.memorySize must be the mover's memory in MB, an integer from 128 to 10240 \(Lambda's range; 1769 is one vCPU\); got number 64/],
    ['a mover memory in GB', { mover: { memorySize: '2GB' } }, /mover\.memorySize must be the mover's memory in MB.*got "2GB"/],
    ['a mover key nobody knows', { mover: { memory: 1769 } }, /mover\.memory is not a known key; known keys: memorySize/],
    ['a bad org id', { api: { ...exampleJson().api, organizationId: 'org-1' } }, /api\.organizationId must be an AWS Organizations id/],
    ['a circuit breaker on a prefix', { circuitBreakers: [{ alarmName: 'a', queue: 'orders-*' }] }, /circuitBreakers\[0\]\.queue must name one queue, not a prefix/],
    ['a circuit breaker on an unmanaged queue', { circuitBreakers: [{ alarmName: 'a', queue: 'billing-dlq' }] }, /circuitBreakers\[0\]\.queue must be one of managedQueues/],
    ['an alarm ARN as the alarm name', { circuitBreakers: [{ alarmName: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-errors', queue: 'orders-dlq' }] }, /circuitBreakers\[0\]\.alarmName must be the alarm's name, not its ARN: write "orders-errors"/],
    ['an unknown key in a circuit breaker', { circuitBreakers: [{ alarmName: 'a', queue: 'orders-dlq', queues: ['x'] }] }, /circuitBreakers\[0\]\.queues is not a known key; known keys: alarmName, queue/],
    ['a reason policy that is no boolean', { api: { ...exampleJson().api, requireReason: 'yes' } }, /api\.requireReason must be true or false; got "yes"/],
    ['a log retention CloudWatch lacks', { logRetentionDays: 10 }, /logRetentionDays must be one of CloudWatch Logs' periods: 1, 3, 5/],
    ['a lower-case log level', { logLevel: 'debug' }, /logLevel must be one of DEBUG, INFO, WARN, ERROR; got "debug"/],
    ['a recovery policy for an unmanaged queue', { recoveryPolicies: [{ dlq: 'billing-dlq', alarms: ['a'] }] }, /recoveryPolicies\[0\]\.dlq must be one of managedQueues; got "billing-dlq"/],
    ['a recovery policy key nobody knows', { recoveryPolicies: [{ dlq: 'orders-dlq', alarms: ['a'], rampfactor: 3 }] }, /recoveryPolicies\[0\]\.rampfactor is not a known key; known keys: dlq, alarms, resumeAfterOkSeconds/],
    ['a recovery policy with maxRate under startRate', { recoveryPolicies: [{ dlq: 'orders-dlq', alarms: ['a'], startRate: 100, maxRate: 50 }] }, /recoveryPolicies\[0\]\.maxRate \(50\) must be at least startRate \(100\)/],
    ['two recovery policies for one DLQ', { recoveryPolicies: [{ dlq: 'orders-dlq', alarms: ['a'] }, { dlq: 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq', alarms: ['b'] }] }, /recoveryPolicies names .*orders-dlq more than once/],
    ['a key ARN that is an alias', { tableKmsKeyArn: 'alias/tasks' }, /tableKmsKeyArn must be a KMS key ARN; got "alias\/tasks"/],
    ['an org caller that is no principal ARN', { org: { ...exampleJson().org, allowedCallers: ['alice'] } }, /org\.allowedCallers\[0\] must be an IAM role or user ARN the org view may act for/],
    ['org callers defaulting to an empty allowedPrincipals', { api: { rateLimit: 10, burstLimit: 20, allowedPrincipals: [], organizationId: 'o-a1b2c3d4e5' }, org: { busArn: exampleJson().org.busArn, apiRoleArns: exampleJson().org.apiRoleArns } }, /org\.allowedCallers must list the IAM principals the org view may act for in this account \(it defaults to api\.allowedPrincipals/],
  ])('fails on %s, naming the key and the expected form', (_case, override, message) => {
    // Prepare
    const raw = { ...exampleJson(), ...override };

    // Act
    const parse = () => parseControllerConfig(raw, 'bad');

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });
});

describe('loadConfigs and selectConfigs', () => {
  it('loads every config of config/', () => {
    // Act
    const configs = loadConfigs(join(ROOT, 'config'));

    // Assess: config/local/local.json is the local stack's, never an account to deploy
    expect(configs.map((config) => config.name)).toContain('example');
    expect(configs.map((config) => config.name)).not.toContain('local');
  });

  it("accepts the local stack's configuration: every queue (`*`) and every role of the account (`role/*`)", () => {
    // Act
    const config = parseControllerConfig(JSON.parse(readFileSync(join(ROOT, 'config', 'local', 'local.json'), 'utf8')), 'local');

    // Assess
    expect(config.managedQueues).toEqual(['arn:aws:sqs:us-east-1:123456789012:*']);
    expect(config.api.allowedPrincipals).toEqual(['arn:aws:iam::123456789012:role/*']);
    expect(config.api.messageReaders).toEqual(['arn:aws:iam::123456789012:role/local']);
    expect(config.events.allowedSenders).toEqual(['arn:aws:iam::123456789012:role/*']);
    expect(config.events.senderAccounts).toEqual(['123456789012']);
  });

  it('fails on a file that is not JSON, naming it', () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(directory, 'broken.json'), '{\n  "account": "111122223333"\n  "region": "eu-west-1"\n}');

    // Act
    const load = () => loadConfigs(directory);

    // Assess: a missing comma, told where it is
    expect(load).toThrow(/^config\/broken\.json:3:3 is not valid JSON: Expected ',' or '}' after property value \(line 3, column 3\)$/);
  });

  it('tells an unfinished file by its last line', () => {
    expect(() => parseJsonFile('{\n  "account": ', 'config/cut.json')).toThrow(/^config\/cut\.json:2:14 is not valid JSON: Unexpected end of JSON input/);
  });

  it('selects by -c account=NAME, by account id, by the credentials account, or all', () => {
    // Prepare
    const example = exampleConfig();
    const other = { ...exampleConfig(), name: 'prod', account: '444455556666' };
    const configs = [example, other];

    // Act
    const byName = selectConfigs(configs, { account: 'prod' });
    const byId = selectConfigs(configs, { account: '111122223333' });
    const byCredentials = selectConfigs(configs, { defaultAccount: '444455556666' });
    const all = selectConfigs(configs, { account: 'all' });
    const otherCredentials = selectConfigs(configs, { defaultAccount: '777788889999' });
    const offline = selectConfigs(configs, {});

    // Assess: the example is synthesized only when named (or `all`)
    expect(byName).toEqual([other]);
    expect(byId).toEqual([example]);
    expect(byCredentials).toEqual([other]);
    expect(all).toEqual(configs);
    expect(otherCredentials).toEqual([other]);
    expect(offline).toEqual([other]);
    expect(selectConfigs([example], {})).toEqual([example]);
    expect(() => selectConfigs([example], { defaultAccount: '777788889999' })).toThrow(/no config is for account 777788889999 \(your credentials'\); config\/example\.json is a template and is used only when named/);
    expect(() => selectConfigs(configs, { account: 'staging' })).toThrow(/-c account=staging matches no config; known: example \(111122223333\), prod \(444455556666\)/);
  });
});
