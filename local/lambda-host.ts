import { type ChildProcess,fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface LambdaHostOptions {
  /** the bundled handler, e.g. dist/lambda/api/index.mjs */
  readonly bundle: string;
  readonly env: Readonly<Record<string, string>>;
  /** @default - this Node.js; set LAMBDA_NODE to run the bundle on another (e.g. Node.js 22) */
  readonly nodeBinary?: string;
  /** receives every line the function writes (its structured logs) */
  readonly onLog?: (line: string) => void;
  /** further Node.js flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS); @default - none */
  readonly execArgv?: readonly string[];
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** Runs a bundled Lambda handler in its own process, as Lambda does, and invokes it. */
export class LambdaHost {
  private readonly pending = new Map<string, Pending>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id?: string; result?: unknown; error?: { name: string; message: string } }) => {
      const waiting = message.id ? this.pending.get(message.id) : undefined;
      if (!waiting || !message.id) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
      else waiting.resolve(message.result);
    });
    child.on('exit', (code, signal) => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the function's process exited (${signal ?? code})`));
      this.pending.clear();
    });
  }

  static async start(options: LambdaHostOptions): Promise<LambdaHost> {
    const child = fork(resolve(__dirname, 'lambda-runtime.mjs'), [resolve(options.bundle)], {
      env: { ...options.env },
      execPath: options.nodeBinary ?? process.env.LAMBDA_NODE ?? process.execPath,
      execArgv: ['--enable-source-maps', ...(options.execArgv ?? [])],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const onLog = options.onLog ?? ((line: string) => process.stdout.write(`${line}\n`));
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', onLog);
    }
    await new Promise<void>((ready, failed) => {
      child.once('message', () => ready());
      child.once('exit', (code) => failed(new Error(`${options.bundle} failed to load (exit ${code}); run npm run build`)));
    });
    return new LambdaHost(child);
  }

  /** false once the process has exited (killed, crashed, stopped) */
  get running(): boolean {
    return this.child.connected;
  }

  /** The function's process id (the benchmark reads its CPU time). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** `requestId`: the context's awsRequestId (Lambda keeps one across an asynchronous event's retries); @default - a new one */
  invoke<T>(event: unknown, requestId?: string): Promise<T> {
    return this.request<T>({ event, ...(requestId ? { requestId } : {}) });
  }

  /** CPU time the function's process has used so far (user and system, every thread), in microseconds, as its own process.cpuUsage() says. */
  cpuUsage(): Promise<NodeJS.CpuUsage> {
    return this.request<NodeJS.CpuUsage>({ cpuUsage: true });
  }

  private request<T>(message: Record<string, unknown>): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolvePromise, reject) => {
      if (!this.child.connected) {
        reject(new Error("the function's process is not running"));
        return;
      }
      this.pending.set(id, { resolve: resolvePromise as (value: unknown) => void, reject });
      this.child.send({ id, ...message });
    });
  }

  /** Kills the process mid-work, as a crash or a Lambda timeout would. */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
