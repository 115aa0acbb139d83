import { sampleMessages } from '../../../../lambda/domain/operations/sample-messages';

const message = (n: number) => ({ messageId: `m${n}`, receiptHandle: `r${n}` });
const log = { warn: () => undefined, error: () => undefined };

describe('sampleMessages', () => {
  it('releases what it received when a later receive fails, and lets the failure through', async () => {
    // Prepare: one batch of 3, then SQS fails
    const released: string[] = [];
    let receives = 0;
    const queue = {
      receive: async () => {
        receives += 1;
        if (receives > 1) throw new Error('SQS failed');
        return [message(0), message(1), message(2)];
      },
      release: async (handles: readonly string[]) => (released.push(...handles), []),
    };
    // Act / Assess
    await expect(sampleMessages(queue, 10, log, {})).rejects.toThrow('SQS failed');
    expect(released).toEqual(['r0', 'r1', 'r2']);
  });

  it('confirms an empty short poll with a 1-second long poll, and stops at a batch it has seen', async () => {
    // Prepare: the first short poll answers nothing; then 2 messages; then the same 2 again
    const waits: number[] = [];
    const answers = [[], [message(0), message(1)], [message(0), message(1)]];
    const queue = {
      receive: async (_max: number, waitSeconds: number) => (waits.push(waitSeconds), answers.shift() ?? []),
      release: async () => [],
    };
    // Act
    const sample = await sampleMessages(queue, 10, log, {});
    // Assess
    expect({ sample: sample.map((entry) => entry.messageId), waits }).toEqual({ sample: ['m0', 'm1'], waits: [0, 1, 0] });
  });
});
