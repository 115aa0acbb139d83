import { type CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';

import type { QueueAgeReader } from '../../domain/dlq/dlq-ports';

/** GetMetricData takes at most 500 metrics per call. */
export const MAX_QUERIES_PER_CALL = 500;
/** SQS publishes its metrics every minute, a few minutes late: the newest datapoint of this window. */
const WINDOW_MS = 10 * 60 * 1000;

/**
 * QueueAgeReader on CloudWatch: AWS/SQS ApproximateAgeOfOldestMessage (Maximum per minute) for up to
 * 500 queues a call, the newest datapoint of each.
 */
export class CloudWatchQueueAgeReader implements QueueAgeReader {
  constructor(private readonly client: CloudWatchClient, private readonly now: () => Date = () => new Date()) {}

  async oldestMessageAges(queueNames: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const ages = new Map<string, number>();
    const end = this.now();
    const start = new Date(end.getTime() - WINDOW_MS);
    for (let at = 0; at < queueNames.length; at += MAX_QUERIES_PER_CALL) {
      const names = queueNames.slice(at, at + MAX_QUERIES_PER_CALL);
      // query ids must start with a lower-case letter and be unique within the call
      const queries: MetricDataQuery[] = names.map((name, index) => ({
        Id: `q${index}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: name }] },
          Period: 60,
          Stat: 'Maximum',
        },
        ReturnData: true,
      }));
      let nextToken: string | undefined;
      do {
        const output = await this.client.send(
          new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: 'TimestampDescending', ...(nextToken ? { NextToken: nextToken } : {}) }),
        );
        for (const result of output.MetricDataResults ?? []) {
          const name = names[Number(result.Id?.slice(1))];
          const newest = result.Values?.[0];
          if (name !== undefined && newest !== undefined && !ages.has(name)) ages.set(name, Math.round(newest));
        }
        nextToken = output.NextToken;
      } while (nextToken);
    }
    return ages;
  }
}
