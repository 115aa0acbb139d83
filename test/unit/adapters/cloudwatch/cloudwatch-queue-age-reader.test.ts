import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';

import { CloudWatchQueueAgeReader } from '../../../../lambda/adapters/cloudwatch/cloudwatch-queue-age-reader';

describe('CloudWatchQueueAgeReader', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  afterEach(() => cloudWatch.reset());

  it('reads 1,200 queues in 3 GetMetricData calls of at most 500, keeping the newest datapoint', async () => {
    // Prepare: each call answers its queries' ids, newest value first (ScanBy TimestampDescending)
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
      MetricDataResults: (input.MetricDataQueries ?? []).map((query, at) => ({ Id: query.Id, Values: at % 2 === 0 ? [at + 0.4, 1] : [] })),
    }));
    const names = Array.from({ length: 1200 }, (_, at) => `dlq-${at}`);

    // Act
    const ages = await new CloudWatchQueueAgeReader(new CloudWatchClient({ region: 'us-east-1' }), () => new Date('2026-01-01T00:10:00Z')).oldestMessageAges(names);

    // Assess
    const calls = cloudWatch.commandCalls(GetMetricDataCommand);
    expect(calls.map((call) => call.args[0].input.MetricDataQueries?.length)).toEqual([500, 500, 200]);
    const first = calls[0]!.args[0].input;
    expect(first.MetricDataQueries?.[0]).toEqual(expect.objectContaining({
      MetricStat: expect.objectContaining({ Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: 'dlq-0' }] }, Stat: 'Maximum' }),
    }));
    expect(ages.get('dlq-0')).toBe(0);
    expect(ages.get('dlq-502')).toBe(2);
    expect(ages.has('dlq-1')).toBe(false);
    expect(ages.size).toBe(600);
  });
});
