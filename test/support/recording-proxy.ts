import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { running, type RunningServer } from '../../local/emulators';

/**
 * Every injected error message carries this marker: a test greps the Lambda bundle for it to prove
 * the fault layer never ships.
 */
export const FAULT_MARKER = 'fault injected by the redrive-controller test proxy';

/** One AWS call as it crossed the proxy. */
export interface RecordedCall {
  /** e.g. `AmazonSQS.CancelMessageMoveTask`, `DynamoDB_20120810.UpdateItem` */
  readonly target: string;
  readonly body: string;
  /** the HTTP method and path (S3's REST calls have no X-Amz-Target) */
  readonly method?: string;
  readonly path?: string;
}

export interface InjectedFault {
  /** which calls: an X-Amz-Target, or a predicate */
  readonly match: string | ((call: RecordedCall) => boolean);
  /** how many matching calls to fail; @default 1 */
  times?: number;
  /** wait this long first, then do the rest (forward, or the fault); alone it only slows the call */
  readonly delayMs?: number;
  /** wait until this settles first (a test holds a call while it crashes the function) */
  readonly holdWhile?: Promise<unknown>;
  /**
   * hold matching calls until this many have arrived, then go on with them all (a barrier that
   * makes concurrent callers overlap for certain). Set `times` to the same number.
   */
  readonly holdUntil?: number;
  /** answer with this status and AWS JSON error body... */
  readonly status?: number;
  readonly errorType?: string;
  readonly message?: string;
  /** ...or cut the connection without an answer */
  readonly reset?: boolean;
  /** ...or never answer: the SDK's requestTimeout fires */
  readonly drop?: boolean;
  /** ...after forwarding the call (the upstream acted, the caller hears it failed) */
  readonly afterForward?: boolean;
}

/** Ready-made faults with the error shapes SQS and DynamoDB really answer. */
export const Faults = {
  sqsThrottled: (times = 1): Omit<InjectedFault, 'match'> => ({ times, status: 400, errorType: 'RequestThrottled', message: `Request is throttled; ${FAULT_MARKER}` }),
  sqsInternalError: (times = 1): Omit<InjectedFault, 'match'> => ({ times, status: 500, errorType: 'InternalError', message: FAULT_MARKER }),
  dynamoDbThrottling: (times = 1): Omit<InjectedFault, 'match'> => ({
    times,
    status: 400,
    errorType: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: `Rate of requests exceeds the allowed throughput; ${FAULT_MARKER}`,
  }),
  dynamoDbThroughputExceeded: (times = 1): Omit<InjectedFault, 'match'> => ({
    times,
    status: 400,
    errorType: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: `The level of configured provisioned throughput for the table was exceeded; ${FAULT_MARKER}`,
  }),
  dynamoDbInternalError: (times = 1): Omit<InjectedFault, 'match'> => ({
    times,
    status: 500,
    errorType: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: FAULT_MARKER,
  }),
  reset: (times = 1): Omit<InjectedFault, 'match'> => ({ times, reset: true }),
  drop: (times = 1): Omit<InjectedFault, 'match'> => ({ times, drop: true }),
  delay: (delayMs: number, times = 1): Omit<InjectedFault, 'match'> => ({ times, delayMs }),
} as const;

export interface RecordingProxy extends RunningServer {
  readonly calls: RecordedCall[];
  count(target: string): number;
  inject(fault: InjectedFault): void;
  /** how many calls a fault has been applied to since the last reset */
  readonly faultsApplied: number;
  /** how many faults have been applied since the proxy started (for the reliability figures) */
  readonly faultsAppliedTotal: number;
  /** forgets the calls and the faults (not what `holdOnOpenConnections` holds) */
  reset(): void;
  /**
   * What a killed client had already written: a call matching `match` that arrives later on a
   * connection open now is held for good, never forwarded. Call it right after the kill, before
   * `reset()`, so bytes already on the wire do not reach the emulator as a posthumous request.
   */
  holdOnOpenConnections(match: string): void;
}

/**
 * An HTTP proxy between the function and an emulator that records every AWS call (by its
 * X-Amz-Target) and can slow, drop, cut or fail chosen calls, for the faults an emulator cannot
 * produce on demand. Test code only: never imported by lambda/.
 */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const calls: RecordedCall[] = [];
  let faults: InjectedFault[] = [];
  const held = new Map<InjectedFault, Array<() => void>>();
  let applied = 0;
  let appliedTotal = 0;
  const sockets = new Set<Socket>();
  const heldForGood: Array<{ readonly match: string; readonly sockets: ReadonlySet<Socket> }> = [];
  const upstreamUrl = new URL(upstream);

  const answerError = (outgoing: ServerResponse, fault: InjectedFault) => {
    const status = fault.status ?? 400;
    const errorType = fault.errorType ?? 'InternalError';
    outgoing.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': `${errorType.split('#').pop()};${status >= 500 ? 'Receiver' : 'Sender'}`,
    });
    outgoing.end(JSON.stringify({ __type: errorType, message: fault.message ?? FAULT_MARKER }));
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const call: RecordedCall = { target: String(incoming.headers['x-amz-target'] ?? ''), body: body.toString('utf8'), method: incoming.method ?? 'GET', path: incoming.url ?? '/' };
      calls.push(call);
      // a killed client's last request: never answered, never forwarded
      if (heldForGood.some((held) => held.match === call.target && held.sockets.has(incoming.socket))) return;
      const fault = faults.find((candidate) =>
        typeof candidate.match === 'string' ? candidate.match === call.target : candidate.match(call),
      );
      if (fault) {
        applied += 1;
        appliedTotal += 1;
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) faults = faults.filter((candidate) => candidate !== fault);
      }
      // the fault's ending, once the call was (or was not) forwarded; false: answer normally
      const endWithFault = (): boolean => {
        if (!fault) return false;
        if (fault.reset) {
          incoming.socket.destroy();
          return true;
        }
        if (fault.drop) return true; // hold the socket open; the SDK times out
        if (fault.status !== undefined || fault.errorType !== undefined) {
          answerError(outgoing, fault);
          return true;
        }
        return false;
      };
      const proceed = () => {
        if (fault && !fault.afterForward && endWithFault()) return;
        const forward = httpRequest(
          { hostname: upstreamUrl.hostname, port: upstreamUrl.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
          (answer) => {
            if (fault?.afterForward) {
              answer.resume();
              answer.on('end', () => {
                if (!endWithFault()) answerError(outgoing, fault);
              });
              return;
            }
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forward.on('error', () => outgoing.destroy());
        forward.end(body);
      };
      const waits: Promise<unknown>[] = [];
      if (fault?.delayMs) waits.push(new Promise((resolve) => setTimeout(resolve, fault.delayMs)));
      if (fault?.holdWhile) waits.push(fault.holdWhile.catch(() => undefined));
      if (fault?.holdUntil !== undefined) {
        waits.push(
          new Promise<void>((release) => {
            const waiting = (held.get(fault) ?? []).concat(release);
            held.set(fault, waiting);
            if (waiting.length >= fault.holdUntil!) {
              held.delete(fault);
              waiting.forEach((go) => go());
            }
          }),
        );
      }
      if (waits.length === 0) proceed();
      else void Promise.all(waits).then(() => (incoming.socket.destroyed ? undefined : proceed()));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const handle = running(server);
  return {
    url: handle.url,
    close: async () => {
      // dropped calls keep their sockets open; cut them so close() returns
      for (const socket of sockets) socket.destroy();
      await handle.close();
    },
    calls,
    count: (target) => calls.filter((call) => call.target === target).length,
    inject: (fault) => faults.push(fault),
    get faultsApplied() {
      return applied;
    },
    get faultsAppliedTotal() {
      return appliedTotal;
    },
    holdOnOpenConnections: (match) => heldForGood.push({ match, sockets: new Set(sockets) }),
    reset: () => {
      calls.length = 0;
      faults = [];
      applied = 0;
    },
  };
}
