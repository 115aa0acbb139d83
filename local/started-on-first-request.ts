import { createServer, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';

import { running, type RunningServer } from './emulators';

export interface StartedOnFirstRequest extends RunningServer {
  /** starts the upstream now (a first request would); resolves once it answers */
  start(): Promise<RunningServer>;
}

/**
 * A port that stands for an emulator not yet started: the first request (or `start()`) starts it,
 * every request is passed to it as it came. A local stack whose test never touches S3 never pays
 * for the S3 emulator's process (a second or more of CPU on a 2-core machine).
 */
export async function startedOnFirstRequest(port: number, startUpstream: () => Promise<RunningServer>): Promise<StartedOnFirstRequest> {
  let upstream: Promise<RunningServer> | undefined;
  // a failed start is tried again by the next request, not kept as every later answer
  const start = () => {
    upstream ??= startUpstream().catch((error: unknown) => {
      upstream = undefined;
      throw error;
    });
    return upstream;
  };
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    start().then(
      (target) => {
        const url = new URL(target.url);
        const forward = httpRequest({ hostname: url.hostname, port: url.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
        forward.on('error', () => outgoing.destroy());
        incoming.pipe(forward);
      },
      (error: unknown) => {
        outgoing.writeHead(503, { 'content-type': 'text/plain' });
        outgoing.end(`the local emulator did not start: ${String(error)}`);
      },
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const handle = running(server);
  return {
    url: handle.url,
    start,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await handle.close();
      if (upstream) await (await upstream.catch(() => undefined))?.close();
    },
  };
}
