import { spawn } from 'node:child_process';

import { eventually } from './local-stack-fixture';
import { CLI } from './run-cli';

export interface OpenDashboardProxy {
  /** the proxy's origin with a trailing slash */
  readonly url: string;
  /** the token cookie the printed URL handed out */
  readonly cookie: string;
  /** what the proxy has printed so far */
  output(): string;
  stop(): void;
}

/** `redrive <args>` (a `dashboard` command on port 0), entered as a user does: through the printed URL with its token. */
export async function openDashboardProxy(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<OpenDashboardProxy> {
  const proxy = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  let output = '';
  proxy.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proxy.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const printed = (await eventually(async () => /at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output)?.[1], (found) => found !== undefined))!;
    const entry = await fetch(printed, { redirect: 'manual' });
    return { url: `${new URL(printed).origin}/`, cookie: entry.headers.get('set-cookie')!.split(';')[0]!, output: () => output, stop: () => proxy.kill('SIGTERM') };
  } catch (error) {
    proxy.kill('SIGTERM');
    throw error;
  }
}
