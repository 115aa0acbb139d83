import { fork } from 'node:child_process';
import { resolve } from 'node:path';

import type { RunningServer } from './emulators';

export interface S3EmulatorOptions {
  /** 0 picks a free port */
  readonly port: number;
  /** buckets created at start (the archive bucket) */
  readonly buckets: readonly string[];
}

/**
 * S3 on 127.0.0.1: `@20minutes/s3rver` (npm, pure JavaScript), path-style requests, objects on a
 * temporary directory removed when it stops. It runs in its own process (local/s3-emulator-process.mjs
 * says why). What it leaves out of S3 is in docs/archive.md; IAM is the enforcing proxy's.
 */
export async function startS3Emulator(options: S3EmulatorOptions): Promise<RunningServer> {
  const child = fork(resolve(__dirname, 's3-emulator-process.mjs'), [JSON.stringify({ port: options.port, buckets: options.buckets })], {
    execArgv: ['--openssl-legacy-provider'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((ready, failed) => {
    child.once('message', (message: { port?: number; error?: string }) => (message.port ? ready(message.port) : failed(new Error(`the S3 emulator did not start: ${message.error}`))));
    child.once('exit', (code) => failed(new Error(`the S3 emulator exited at start (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
