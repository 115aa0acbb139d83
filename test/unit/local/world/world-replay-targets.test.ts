import { resolve } from 'node:path';

import { readWorldFile } from '../../../../local/world/world-file';
import { withWorldReplayTargets } from '../../../../local/world/world-replay-targets';

const WORLD = readWorldFile(resolve(__dirname, '../../../fixtures/world/replay-world.json'));

describe('withWorldReplayTargets', () => {
  it("adds the world's functions and rule target queues to the configuration's own replay targets, once each", () => {
    // Prepare
    const config = { account: '123456789012', replayTargets: ['arn:aws:sns:us-east-1:123456789012:alerts', 'arn:aws:lambda:us-east-1:123456789012:function:orders'] };
    // Act
    const result = withWorldReplayTargets(config, WORLD, '123456789012', 'us-east-1');
    // Assess
    expect(result.replayTargets).toEqual([
      'arn:aws:sns:us-east-1:123456789012:alerts',
      'arn:aws:lambda:us-east-1:123456789012:function:orders',
      'arn:aws:lambda:us-east-1:123456789012:function:billing',
      'arn:aws:sqs:us-east-1:123456789012:audit-log',
      'arn:aws:sqs:us-east-1:123456789012:shipping-queue',
    ]);
    expect(config.replayTargets).toHaveLength(2);
  });

  it('leaves the configuration as it is without a world', () => {
    // Prepare
    const config = { account: '123456789012' };
    // Act / Assess
    expect(withWorldReplayTargets(config, undefined, '123456789012', 'us-east-1')).toBe(config);
  });
});
