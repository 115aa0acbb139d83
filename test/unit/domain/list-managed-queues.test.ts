import { listManagedQueues, MAX_LISTED_QUEUES } from '../../../lambda/domain/operations/list-managed-queues';
import type { ControllerDependencies, MessageMoveService, QueueListing } from '../../../lambda/domain/ports';
import { patternListing } from '../../../lambda/domain/queue-pattern';
import { QueueScope } from '../../../lambda/domain/queue-scope';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

function fakeSqs(names: string[], gone: string[] = []) {
  const listCalls: Array<{ namePrefix?: string; limit: number }> = [];
  const depthCalls: string[] = [];
  const sqs: Pick<MessageMoveService, 'listQueues' | 'depth'> = {
    async listQueues(input) {
      listCalls.push(input);
      const matching = names.filter((name) => name.startsWith(input.namePrefix ?? ''));
      const queues: QueueListing[] = matching.slice(0, input.limit).map((queueName) => ({ queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${queueName}`, accountId: ACCOUNT, queueName }));
      return { queues, truncated: matching.length > input.limit };
    },
    async depth(queueUrl) {
      depthCalls.push(queueUrl);
      return gone.some((name) => queueUrl.endsWith(`/${name}`)) ? undefined : { approximateNumberOfMessages: 3, approximateNumberOfMessagesNotVisible: 1 };
    },
  };
  return { sqs, listCalls, depthCalls };
}

function depsWith(sqs: Pick<MessageMoveService, 'listQueues' | 'depth'>, managedQueues: string[]): ControllerDependencies {
  return { sqs: sqs as MessageMoveService, scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues }) } as unknown as ControllerDependencies;
}

describe('patternListing', () => {
  it.each([
    [`arn:aws:sqs:${REGION}:${ACCOUNT}:orders-*`, { partition: 'aws', namePrefix: 'orders-' }],
    [`arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`, { partition: 'aws', namePrefix: 'orders-dlq' }],
    [`arn:aws:sqs:${REGION}:${ACCOUNT}:*`, { partition: 'aws' }],
    [`arn:aws-cn:sqs:${REGION}:*`, { partition: 'aws-cn' }],
    [`arn:aws:sqs:us-east-1:${ACCOUNT}:orders-*`, undefined],
    [`arn:aws:sqs:${REGION}:444455556666:orders-*`, undefined],
  ])('turns %s into %j', (pattern, expected) => {
    // Act
    const listing = patternListing(pattern, ACCOUNT, REGION);

    // Assess
    expect(listing).toEqual(expected);
  });
});

describe('listManagedQueues', () => {
  it('lists by each pattern\'s name prefix and keeps only managed queues, sorted by name', async () => {
    // Prepare
    const { sqs, listCalls } = fakeSqs(['orders-dlq', 'orders-main', 'payments-dlq', 'payments-main', 'other']);
    const deps = depsWith(sqs, [`arn:aws:sqs:${REGION}:${ACCOUNT}:payments-dlq`, `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-*`]);

    // Act
    const page = await listManagedQueues(deps);

    // Assess
    expect(listCalls.map((call) => call.namePrefix)).toEqual(['payments-dlq', 'orders-']);
    expect(page).toEqual({
      truncated: false,
      queues: ['orders-dlq', 'orders-main', 'payments-dlq'].map((name) => ({
        queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`,
        queueName: name,
        queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`,
        approximateNumberOfMessages: 3,
        approximateNumberOfMessagesNotVisible: 1,
      })),
    });
  });

  it(`answers at most ${MAX_LISTED_QUEUES} queues, says so, and asks for no more depths than it shows`, async () => {
    // Prepare
    const names = Array.from({ length: 250 }, (_, at) => `q-${String(at).padStart(3, '0')}`);
    const { sqs, listCalls, depthCalls } = fakeSqs(names);
    const deps = depsWith(sqs, [`arn:aws:sqs:${REGION}:${ACCOUNT}:*`, `arn:aws:sqs:${REGION}:${ACCOUNT}:q-1*`]);

    // Act
    const page = await listManagedQueues(deps);

    // Assess
    expect(listCalls).toEqual([{ limit: MAX_LISTED_QUEUES }]);
    expect(page.queues).toHaveLength(MAX_LISTED_QUEUES);
    expect(page.truncated).toBe(true);
    expect(depthCalls).toHaveLength(MAX_LISTED_QUEUES);
  });

  it('leaves out a queue deleted between ListQueues and GetQueueAttributes', async () => {
    // Prepare
    const { sqs } = fakeSqs(['a-dlq', 'b-dlq'], ['a-dlq']);
    const deps = depsWith(sqs, [`arn:aws:sqs:${REGION}:${ACCOUNT}:*`]);

    // Act
    const page = await listManagedQueues(deps);

    // Assess
    expect(page.queues.map((queue) => queue.queueName)).toEqual(['b-dlq']);
  });
});
