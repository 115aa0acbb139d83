import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { SQSClient } from '@aws-sdk/client-sqs';

import { busyPorts } from '../../local/busy-ports';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { seedDlq } from '../../local/seed-dlq';
import { eventually } from '../support/local-stack-fixture';

const root = resolve(__dirname, '../..');

/** A port the OS just handed out, free again once this returns. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

function run(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const printed = (text: string, timeoutMs = 60_000) =>
    new Promise<void>((ready, failed) => {
      const timer = setTimeout(() => failed(new Error(`did not print "${text}":\n${output}`)), timeoutMs);
      const check = () => {
        if (output.includes(text)) {
          clearTimeout(timer);
          ready();
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      void exited.then(() => (output.includes(text) ? ready() : failed(new Error(`exited before printing "${text}":\n${output}`))));
    });
  return { child, exited, printed, output: () => output };
}

describe('npm start', () => {
  it('names the variable to set when a port is busy, in one line, without a stack', async () => {
    // Prepare: something already listens where the SQS emulator would
    const taken: Server = createServer();
    await new Promise<void>((ready) => taken.listen(0, '127.0.0.1', () => ready()));
    const { port } = taken.address() as { port: number };
    try {
      // Act
      const start = run(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'local/start.ts'], {
        PORT: '0', SQS_PORT: String(port), DYNAMODB_PORT: '0', EVENTS_PORT: '0', LAMBDA_PORT: '0', S3_PORT: '0',
      });
      const code = await start.exited;

      // Assess
      expect(code).toBe(1);
      expect(start.output()).toContain(`port ${port} is busy; set SQS_PORT=<a free port>`);
      expect(start.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('checks the --config file and the variables applied over it as cdk synth does, before anything starts', async () => {
    // Prepare: a configuration with a bad key, and a bad MESSAGE_READERS over the local one
    const directory = mkdtempSync(join(tmpdir(), 'npm-start-config-'));
    const file = join(directory, 'mine.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(resolve(root, 'config/local/local.json'), 'utf8')), managedQueues: [] }));
    const tsx = resolve(root, 'node_modules/tsx/dist/cli.mjs');

    // Act
    const other = run(process.execPath, [tsx, 'local/start.ts', '--config', file], { PORT: '0', SQS_PORT: '0', DYNAMODB_PORT: '0', EVENTS_PORT: '0', LAMBDA_PORT: '0', S3_PORT: '0' });
    const readers = run(process.execPath, [tsx, 'local/start.ts'], { MESSAGE_READERS: 'oncall', PORT: '0', SQS_PORT: '0', DYNAMODB_PORT: '0', EVENTS_PORT: '0' });

    // Assess
    expect(await other.exited).toBe(1);
    expect(other.output()).toMatch(/managedQueues must list at least 1/);
    expect(await readers.exited).toBe(1);
    expect(readers.output()).toMatch(/api\.messageReaders\[0\] must be an IAM role or user ARN.*"oncall".*MESSAGE_READERS applied/);
  }, 60_000);

  it('stops the whole stack and frees its ports when the npm process gets SIGTERM', async () => {
    // Prepare
    // every port its own: another test file's stack may run beside this one
    const ports = { PORT: await freePort(), SQS_PORT: await freePort(), DYNAMODB_PORT: await freePort(), EVENTS_PORT: await freePort(), LAMBDA_PORT: await freePort(), S3_PORT: await freePort() };
    const npm = run('npm', ['start', '--silent'], Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])));
    await npm.printed('Ctrl+C stops', 120_000);
    expect(npm.output()).toContain('State is in memory');
    expect(npm.output()).toMatch(/RedriveController-local as synthesized from config\/local\/local\.json/);
    // the functions' JSON lines go to a file the banner names, not between the banner's lines
    expect(npm.output()).toContain("Functions' logs: .local/logs/functions.log");
    expect(npm.output()).not.toMatch(/^\{"level"/m);
    expect(await busyPorts(Object.entries(ports).map(([variable, port]) => ({ variable, port })))).toHaveLength(6);
    // the page's polls print nothing under the banner: the functions' lines and the SDK's warnings go to the file
    let underBanner: string;
    try {
      const api = /API\s+(http\S+)/.exec(npm.output())![1]!;
      // a DLQ for the list routes to read (the SDK warned on each queue's URL)
      const sqs = new SQSClient({ endpoint: /SQS\s+(http\S+)/.exec(npm.output())![1]!, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
      await seedDlq(sqs, 'quiet', 3);
      sqs.destroy();
      for (const path of ['/queues', '/dlqs', '/tasks']) expect((await fetch(`${api}${path}`)).status).toBe(200);
      const logged = () => Promise.resolve(readFileSync(resolve(root, '.local/logs/functions.log'), 'utf8').split('\n').filter((line) => line.includes('"message":"request"')).length);
      expect(await eventually(logged, (count) => count >= 3, 10_000)).toBeGreaterThanOrEqual(3);
      underBanner = npm.output().split('Ctrl+C stops.')[1]!;
    } catch (error) {
      npm.child.kill('SIGTERM');
      throw error;
    }

    // Act
    npm.child.kill('SIGTERM');
    await npm.exited;

    // Assess: nothing is left listening (an orphaned stack would hold them)
    const stillBusy = async () => (await busyPorts(Object.entries(ports).map(([variable, port]) => ({ variable, port })))).length;
    expect(await eventually(stillBusy, (count) => count === 0, 10_000)).toBe(0);
    expect(underBanner.trim()).toBe('');
  }, 180_000);
});
