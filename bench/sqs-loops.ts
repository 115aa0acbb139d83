// The SQS emulator alone, as the mover uses it: `loops` receive(10) → SendMessageBatch(10) →
// DeleteMessageBatch(10) loops with a plain SDK client, in a process of their own (as the mover has
// one), so the clients' CPU does not share the emulator's event loop. Forked by mover-throughput.ts.
import { fork } from 'node:child_process';

import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/local-stack';

export interface SqsLoopsInput {
  readonly endpoint: string;
  readonly dlqUrl: string;
  readonly targetUrl: string;
  readonly loops: number;
}

/** Moves everything from dlqUrl to targetUrl in a child process; answers messages per second, first receive to the last empty one. */
export function runSqsLoops(input: SqsLoopsInput): Promise<{ moved: number; perSecond: number }> {
  return new Promise((done, failed) => {
    const child = fork(__filename, [JSON.stringify(input)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result) => done(result as { moved: number; perSecond: number }));
    child.once('exit', (code) => failed(new Error(`the SQS loops' process exited (${code}) without a result`)));
  });
}

async function moveAll(input: SqsLoopsInput): Promise<{ moved: number; perSecond: number }> {
  const sqs = new SQSClient({ endpoint: input.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  let moved = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: input.loops }, async () => {
      // two empty short polls in a row end a loop (the emulator answers from one store: no long poll needed)
      for (let empty = 0; empty < 2; ) {
        const received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: input.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }))).Messages ?? [];
        if (received.length === 0) {
          empty += 1;
          continue;
        }
        empty = 0;
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: input.targetUrl, Entries: received.map((message, at) => ({ Id: String(at), MessageBody: message.Body! })) }));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: input.dlqUrl, Entries: received.map((message, at) => ({ Id: String(at), ReceiptHandle: message.ReceiptHandle! })) }));
        moved += received.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  sqs.destroy();
  return { moved, perSecond: moved / seconds };
}

if (require.main === module && process.send) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void moveAll(JSON.parse(process.argv[2]!) as SqsLoopsInput).then((result) => {
    process.send!(result, () => process.exit(0));
  });
}
