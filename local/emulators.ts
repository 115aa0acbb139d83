import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** local-aws-sqs: SQS's JSON and Query protocols, message move tasks included. */
export async function startSqsEmulator(options: { port: number; region: string; accountId: string }): Promise<RunningServer> {
  const server = await createSqsServer({
    port: options.port,
    hostname: '127.0.0.1',
    region: options.region,
    accountId: options.accountId,
    // a demo or test that deletes and re-creates a queue should not wait SQS's 60 seconds
    emulateQueueCreationLifecycle: false,
  });
  return running(server);
}

/** dynalite: DynamoDB in memory, tables ready at once. */
export async function startDynamoDbEmulator(options: { port: number }): Promise<RunningServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return running(server);
}

export function running(server: Server): RunningServer {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
