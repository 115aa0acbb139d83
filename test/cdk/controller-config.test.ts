import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, parseControllerConfig } from '../../lib/config/controller-config';
import { loadConfigs, selectConfigs } from '../../lib/config/load-configs';
import { exampleConfig, exampleJson, ROOT } from '../support/example-stack';

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
    expect(config).toMatchObject({ account: '111122223333', region: 'eu-west-1', partition: 'aws', eventBusName: 'default', logLevel: 'INFO' });
  });

  it('takes the partition from the region', () => {
    // Prepare
    const raw = { ...exampleJson(), region: 'cn-north-1', allowedDestinations: [] };

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
    ['a queue of another account', { managedQueues: ['arn:aws:sqs:eu-west-1:999999999999:orders-dlq'] }, /managedQueues\[0\] must be a queue name, a name prefix ending in \*, or an SQS queue ARN in 111122223333 \/ eu-west-1/],
    ['a wildcard inside a name', { sourceQueues: ['orders', 'pay*ments'] }, /sourceQueues\[1\] must be a queue name/],
    ['nowhere to send', { sourceQueues: [], allowedDestinations: [] }, /sourceQueues or .*allowedDestinations must name at least one queue/],
    ['an unknown key', { managedQueue: ['x'] }, /managedQueue is not a known key; known keys: account, region/],
    ['no api section', { api: undefined }, /api must be an object; got nothing/],
    ['nobody may call', { api: { rateLimit: 10, burstLimit: 20, allowedPrincipals: [] } }, /api\.allowedPrincipals must list at least one IAM principal ARN \(or set api\.organizationId\)/],
    ['a principal that is a group', { api: { rateLimit: 10, burstLimit: 20, allowedPrincipals: ['arn:aws:iam::111122223333:group/ops'] } }, /api\.allowedPrincipals\[0\] must be an IAM role or user ARN/],
    ['a fractional rate', { api: { rateLimit: 2.5, burstLimit: 20, allowedPrincipals: ['arn:aws:iam::111122223333:role/x'] } }, /api\.rateLimit must be an integer from 1 to 10000; got number 2\.5/],
    ['an http CORS origin', { api: { ...exampleJson().api, corsOrigins: ['http://x.example.com'] } }, /api\.corsOrigins\[0\] must be an https origin/],
    ['a bad org id', { api: { ...exampleJson().api, organizationId: 'org-1' } }, /api\.organizationId must be an AWS Organizations id/],
    ['a circuit breaker on a prefix', { circuitBreakers: [{ alarmName: 'a', queue: 'orders-*' }] }, /circuitBreakers\[0\]\.queue must name one queue, not a prefix/],
    ['a circuit breaker on an unmanaged queue', { circuitBreakers: [{ alarmName: 'a', queue: 'billing-dlq' }] }, /circuitBreakers\[0\]\.queue must be one of managedQueues/],
    ['a log retention CloudWatch lacks', { logRetentionDays: 10 }, /logRetentionDays must be one of CloudWatch Logs' periods: 1, 3, 5/],
    ['a lower-case log level', { logLevel: 'debug' }, /logLevel must be one of DEBUG, INFO, WARN, ERROR; got "debug"/],
    ['a key ARN that is an alias', { tableKmsKeyArn: 'alias/tasks' }, /tableKmsKeyArn must be a KMS key ARN; got "alias\/tasks"/],
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

    // Assess
    expect(configs.map((config) => config.name)).toContain('example');
  });

  it('fails on a file that is not JSON, naming it', () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(directory, 'broken.json'), '{ "account": ');

    // Act
    const load = () => loadConfigs(directory);

    // Assess
    expect(load).toThrow(/config\/broken\.json is not valid JSON/);
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
    const offline = selectConfigs(configs, {});

    // Assess
    expect(byName).toEqual([other]);
    expect(byId).toEqual([example]);
    expect(byCredentials).toEqual([other]);
    expect(offline).toEqual(configs);
    expect(() => selectConfigs(configs, { account: 'staging' })).toThrow(/-c account=staging matches no config; known: example \(111122223333\), prod \(444455556666\)/);
  });
});
