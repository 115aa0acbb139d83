// CPU per moved message of the SDK work alone, by client configuration: the mover's SQS path (receive 10 →
// SendMessageBatch 10 → DeleteMessageBatch 10, 8 loops at once) against the SQS emulator, each variant in a
// client of its own in this process, warm, variants alternating block by block so the machine's load drifts
// over all of them alike. The emulator runs in a process of its own; the figure is this process's
// process.cpuUsage() (user + system) over a block, divided by the messages moved; the median of the blocks.
// Usage: npx tsx bench/sdk-call-cpu.ts [blocks] [cycles per loop and block] [variant...]
import { fork } from 'node:child_process';

import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

import { oneSignerPerClient } from '../lambda/adapters/one-signer-per-client';
import { leanMoverClient } from '../lambda/adapters/sqs/lean-mover-client';
import { startSqsEmulator } from '../local/emulators';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/local-stack';

const LOOPS = 8;
/** the mover's client options (lambda/entry/dependencies.ts) */
const MOVER_OPTIONS = {
  maxAttempts: 3,
  retryMode: 'standard',
  cacheMiddleware: true,
  requestHandler: { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true },
  useQueueUrlAsEndpoint: false,
} as const;

type Variant = (endpoint: string) => SQSClient;
const base = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
const mover = (endpoint: string, extra: Record<string, unknown> = {}) => oneSignerPerClient(new SQSClient({ ...base, endpoint, ...MOVER_OPTIONS, ...extra }));
const without = (client: SQSClient, ...names: string[]) => {
  for (const name of names) client.middlewareStack.remove(name);
  return client;
};
const VARIANTS: Record<string, Variant> = {
  plain: (endpoint) => new SQSClient({ ...base, endpoint }),
  mover: (endpoint) => mover(endpoint),
  'no-user-agent': (endpoint) => without(mover(endpoint), 'getUserAgentMiddleware'),
  'no-recursion': (endpoint) => without(mover(endpoint), 'recursionDetectionMiddleware'),
  'no-logger': (endpoint) => without(mover(endpoint), 'loggerMiddleware'),
  'md5-off': (endpoint) => mover(endpoint, { md5: false }),
  lean: (endpoint) => leanMoverClient(mover(endpoint)),
};

/** one variant's client and its cycle: receive 10 → send batch → delete batch, back into the same queue */
function cycler(client: SQSClient, queueUrl: string): () => Promise<number> {
  return async () => {
    const received =
      (
        await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 30,
            WaitTimeSeconds: 0,
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [];
    if (received.length === 0) return 0;
    // the messages circulate, the queue never runs dry
    await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: received.map((message, at) => ({ Id: String(at), MessageBody: message.Body! })) }));
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: received.map((message, at) => ({ Id: `d${at}`, ReceiptHandle: message.ReceiptHandle! })) }));
    return received.length;
  };
}

/** LOOPS loops of `cycles` cycles each at once; answers the messages moved */
async function loops(cycle: () => Promise<number>, cycles: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: LOOPS }, async () => {
      let moved = 0;
      for (let at = 0; at < cycles; at += 1) moved += await cycle();
      return moved;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/** the emulator in a process of its own, so its CPU is not the clients' */
function startEmulatorProcess(): Promise<{ url: string; stop(): void }> {
  return new Promise((done, failed) => {
    const child = fork(__filename, ['--emulator'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (url) => done({ url: url as string, stop: () => child.kill() }));
    child.once('exit', (code) => failed(new Error(`the emulator exited (${code})`)));
  });
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  const [blocksArg, cyclesArg, ...named] = process.argv.slice(2);
  const blocks = Number(blocksArg ?? 20);
  const cycles = Number(cyclesArg ?? 10);
  const variants = named.length > 0 ? named : Object.keys(VARIANTS);
  const emulator = await startEmulatorProcess();
  const sqs = new SQSClient({ ...base, endpoint: emulator.url });
  const runs: Array<{ variant: string; cycle: () => Promise<number>; figures: number[] }> = [];
  for (const variant of variants) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `sdk-call-cpu-${variant}` }));
    for (let at = 0; at < 2 * LOOPS; at += 1) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, index) => ({ Id: String(index), MessageBody: JSON.stringify({ tenant: 'a', order: at * 10 + index, note: 'a body of the size the bench moves' }) })) }));
    }
    const cycle = cycler(VARIANTS[variant]!(emulator.url), QueueUrl!);
    await loops(cycle, 30); // warm-up
    runs.push({ variant, cycle, figures: [] as number[] });
  }
  for (let block = 0; block < blocks; block += 1) {
    // each block in another order, so no variant always follows the same one
    const order = block % 2 === 0 ? runs : [...runs].reverse();
    for (const run of order) {
      const before = process.cpuUsage();
      const moved = await loops(run.cycle, cycles);
      const used = process.cpuUsage(before);
      run.figures.push((used.user + used.system) / 1000 / moved);
    }
  }
  sqs.destroy();
  emulator.stop();
  const reference = median(runs[0]!.figures);
  for (const run of runs) {
    const mid = median(run.figures);
    // paired: each block against the reference's block of the same round, so the load's drift cancels out
    const paired = median(run.figures.map((figure, block) => figure / runs[0]!.figures[block]!));
    console.log(
      `${run.variant.padEnd(16)} median ${mid.toFixed(4)} ms/msg (quartiles ${quartile(run.figures, 0.25).toFixed(3)}–${quartile(run.figures, 0.75).toFixed(3)})  ${((mid / reference - 1) * 100).toFixed(1).padStart(6)} % vs ${runs[0]!.variant}, paired median ${((paired - 1) * 100).toFixed(1)} %`,
    );
  }
  process.exit(0);
}

function quartile(values: readonly number[], at: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(at * (sorted.length - 1))]!;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
if (process.argv[2] === '--emulator') {
  void startSqsEmulator({ port: 0, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID }).then((server) => process.send!(server.url));
} else {
  void main();
}
