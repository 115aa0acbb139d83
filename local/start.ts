// npm start [-- --demo] [-- --org] [-- --config <file>] [-- --verbose]: the whole controller on 127.0.0.1, no AWS account needed,
// as `cdk synth` builds it for config/local/local.json (or <file>), ALLOWED_PRINCIPALS, MESSAGE_READERS and EVENT_SENDERS applied over it.
// LOCAL_WORLD=<file> runs the application around it (docs/local-world.md); --demo brings its own.
// The functions' logs go to .local/logs/functions.log (--verbose: to the terminal too), so what it prints stays readable.
import { resolve } from 'node:path';

import { SQSClient } from '@aws-sdk/client-sqs';

import { ENV, readCircuitBreakerAlarms, readRecoveryPolicies } from '../lambda/config/environment';
import { busyPorts, describeBusyPorts, type NamedPort } from './busy-ports';
import { type FunctionLog, openFunctionLog } from './function-log';
import { LOCAL_CREDENTIALS, type LocalStack,startLocalStack } from './local-stack';
import { LOCAL_ORG_ACCOUNTS, startLocalOrg } from './org-stack';
import { seedDlq } from './seed-dlq';
import { LOCAL_CONFIG_FILE, readConfigFile, withEnvironmentOverrides } from './template/local-config';
import { DEMO_WORLD_FILE, runWorldDemo } from './world/world-demo';
import { readWorldFile } from './world/world-file';

const DEMO_MESSAGES = 60;
/** every signal that ends a terminal session or a supervisor's child: the emulators' ports must be freed */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function port(variable: string, fallback: number): NamedPort {
  const value = process.env[variable] ?? String(fallback);
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`${variable} must be a port number (0..65535), got "${value}"`);
  return { variable, port: Number(value) };
}

/** The functions' log lines: to a file, and with `--verbose` to the terminal as well. */
function functionLog(): FunctionLog {
  return openFunctionLog({ verbose: process.argv.includes('--verbose') });
}

/** The banner's line saying where the functions' logs are. */
function logsLine(log: FunctionLog): string {
  return process.argv.includes('--verbose') ? `Functions' logs: here, and in ${log.file}` : `Functions' logs: ${log.file} (tail -f it, or npm start -- --verbose to see them here)`;
}

/** `--config <file>`: another configuration in the deployment's format; @default config/local/local.json */
function configFile(): string {
  const at = process.argv.indexOf('--config');
  if (at < 0) return LOCAL_CONFIG_FILE;
  const file = process.argv[at + 1];
  if (!file || file.startsWith('--')) throw new Error('--config needs a file: npm start -- --config config/<name>.json');
  return file;
}

async function main(): Promise<number | undefined> {
  const demo = process.argv.includes('--demo');
  if (process.argv.includes('--org')) return startOrg(demo);
  const file = configFile();
  // checked as `cdk synth` checks it, before any port is taken
  const config = withEnvironmentOverrides(readConfigFile(file), process.env);
  const ports = { api: port('PORT', 3000), sqs: port('SQS_PORT', 9324), dynamoDb: port('DYNAMODB_PORT', 8000), events: port('EVENTS_PORT', 4010), lambda: port('LAMBDA_PORT', 9001), s3: port('S3_PORT', 4569) };
  const busy = await busyPorts(Object.values(ports));
  if (busy.length > 0) {
    console.error(`redrive-controller: ${describeBusyPorts(busy)}\n(is another \`npm start\` running?)`);
    return 1;
  }
  const requireReason = process.env[ENV.requireReason];
  // checked before any port is taken: a bad world file fails with the field it got wrong
  const worldFile = process.env.LOCAL_WORLD ?? (demo ? DEMO_WORLD_FILE : undefined);
  const world = worldFile ? readWorldFile(resolve(worldFile)) : undefined;
  const log = functionLog();

  // a signal during start-up stops the stack as soon as it is up
  const starting = startLocalStack({
    config,
    onLog: log.onLog,
    apiPort: ports.api.port,
    sqsPort: ports.sqs.port,
    dynamoDbPort: ports.dynamoDb.port,
    eventsPort: ports.events.port,
    lambdaPort: ports.lambda.port,
    ...(world ? { world } : {}),
    s3Port: ports.s3.port,
    // the circuit breaker, the cancel rule's source allow-list and the reason policy, as the deployed stack's config sets them
    ...(process.env[ENV.circuitBreakerAlarms] ? { circuitBreakerAlarms: readCircuitBreakerAlarms(process.env) } : {}),
    // RECOVERY_POLICIES (API.md section 8), checked here so a bad policy fails before anything starts
    ...(process.env[ENV.recoveryPolicies] ? { recoveryPolicies: [...readRecoveryPolicies(process.env).values()] } : {}),
    ...(process.env.EVENT_SOURCES ? { eventSources: process.env.EVENT_SOURCES.split(',').map((source) => source.trim()).filter(Boolean) } : {}),
    ...(requireReason ? { functionEnv: { [ENV.requireReason]: requireReason } } : {}),
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    starting.then((stack) => stack.stop()).then(() => process.exit(0), () => process.exit(1));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => shutdown(signal));
  const stack = await starting;
  if (stopping) return undefined;
  // tests start S3 on first use; here it starts now, so a failure shows at once and not on the first archive
  await stack.startS3().catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  console.log(`redrive-controller local stack
  API       ${stack.apiUrl}
  Dashboard ${stack.apiUrl}/
  SQS       ${stack.sqsUrl}   (emulator: create queues and fill DLQs with any SQS client)
  DynamoDB  ${stack.dynamoDbUrl}   (emulator: task table "${stack.tableName}")
  Events    ${stack.eventsUrl}   (EventBridge PutEvents: cancel events on EventBusName "redrive-controller", alarms on "default")
  Lambda    ${stack.lambdaUrl}   (Invoke, ListFunctions, event-invoke configs; evaluated against the policies)${world ? `
  World     ${worldFile} (LOCAL_WORLD): ${world.functions.length} function(s), ${world.rules.length} rule(s); see docs/local-world.md` : ''}
  S3        ${stack.s3Url}   (emulator, path-style: the archive bucket "${stack.archiveBucket}", docs/archive.md)
${stack.stackName} as synthesized from ${file === LOCAL_CONFIG_FILE ? 'config/local/local.json' : file} (${stack.synthesis.cached ? 'cached synthesis' : `synthesized in ${(stack.synthesis.ms / 1000).toFixed(1)} s, cached for the next start`}): account ${stack.accountId} in ${stack.region}.
${logsLine(log)}
State is in memory: queues, messages and the task table are gone when this stops. Ctrl+C stops.`);
  if (demo) await runDemo(stack);
  if (demo && worldFile === DEMO_WORLD_FILE) await runWorldDemo(stack);
  return undefined;
}

async function runDemo(stack: LocalStack): Promise<void> {
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  const { dlqArn } = await seedDlq(sqs, 'demo-orders', DEMO_MESSAGES);
  sqs.destroy();
  // the DLQ is listed (page, `redrive dlqs`) before the commands below are printed, not at the next scheduled run
  await stack.refreshInventory();
  const api = stack.apiUrl;
  console.log(`
Demo: queue demo-orders-dlq holds ${DEMO_MESSAGES} messages that failed in demo-orders.

In a browser: ${api}/ (the dashboard: open demo-orders-dlq, dry run a canary of 10 at 1 a second, start it, cancel it).

With the redrive CLI (npm link puts it on your path; or node dist/cli/redrive.js):

  export REDRIVE_API_URL=${api}
  redrive dlqs
  redrive peek demo-orders-dlq --max 5
  redrive start demo-orders-dlq --rate 2 --reason "replay after the fix"
  redrive cancel --queue demo-orders-dlq --reason "consumer failing again"
  redrive tasks --queue demo-orders-dlq

With curl: start a redrive at 2 messages a second (so there is time to cancel it), keeping its handle:

  HANDLE=$(curl -s -X POST ${api}/StartMessageMoveTask -d '{"SourceArn":"${dlqArn}","MaxNumberOfMessagesPerSecond":2,"Reason":"demo"}' | sed -E 's/.*"TaskHandle":"([^"]+)".*/\\1/'); echo "$HANDLE"

Watch it move (SQS's view, always current):

  curl -s -X POST ${api}/ListMessageMoveTasks -d '{"SourceArn":"${dlqArn}"}'

Cancel it (only a RUNNING task can be cancelled; a second cancel is refused with its status):

  curl -s -X POST ${api}/CancelMessageMoveTask -d "{\\"TaskHandle\\":\\"$HANDLE\\",\\"Reason\\":\\"demo cancel\\"}"

The task table's record (who, why, when):

  curl -s '${api}/tasks?sourceArn=${dlqArn}'
`);
}

/** --org: two account stacks (each port + its position) forwarding to the org view on ORG_PORT. */
async function startOrg(demo: boolean): Promise<number | undefined> {
  const base = { api: port('PORT', 3000), sqs: port('SQS_PORT', 9324), dynamoDb: port('DYNAMODB_PORT', 8000), events: port('EVENTS_PORT', 4010), lambda: port('LAMBDA_PORT', 9001), s3: port('S3_PORT', 4569) };
  const orgPort = port('ORG_PORT', 3300);
  const ports = [orgPort, ...LOCAL_ORG_ACCOUNTS.flatMap((_, at) => Object.values(base).map((named) => ({ variable: `${named.variable} + ${at}`, port: named.port + at })))];
  const busy = await busyPorts(ports);
  if (busy.length > 0) {
    console.error(`redrive-controller: ${describeBusyPorts(busy)}\n(is another \`npm start\` running?)`);
    return 1;
  }
  const log = functionLog();
  const starting = startLocalOrg({
    onLog: log.onLog,
    orgPort: orgPort.port,
    accountOptions: (_account, at) => ({ apiPort: base.api.port + at, sqsPort: base.sqs.port + at, dynamoDbPort: base.dynamoDb.port + at, eventsPort: base.events.port + at, lambdaPort: base.lambda.port + at }),
  });
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping`);
      starting.then((org) => org.stop()).then(() => process.exit(0), () => process.exit(1));
    });
  }
  const { org, accounts } = await starting;
  if (stopping) return undefined;
  console.log(`redrive-controller local organization
  Org view  ${org.url}   (GET /org/accounts, /org/tasks, /org/dlqs; POST /org/<Action> goes to the owning account)
  Org dashboard  ${org.url}/   (every account's DLQs and redrives; each action goes to its account)`);
  for (const stack of Object.values(accounts)) {
    console.log(`  Account ${stack.accountId}: API ${stack.apiUrl}   SQS ${stack.sqsUrl}   DynamoDB ${stack.dynamoDbUrl}   Events ${stack.eventsUrl}`);
  }
  console.log(`Each account forwards its task, inventory and recovery events to the org view. ${logsLine(log)}
State is in memory. Ctrl+C stops.`);
  if (demo) {
    for (const stack of Object.values(accounts)) {
      const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
      const { dlqArn } = await seedDlq(sqs, `demo-orders-${stack.accountId.slice(0, 1)}`, DEMO_MESSAGES);
      sqs.destroy();
      await stack.refreshInventory();
      console.log(`Demo: ${dlqArn} holds ${DEMO_MESSAGES} messages`);
    }
    console.log(`
  curl -s ${org.url}/org/dlqs
  curl -s ${org.url}/org/accounts
  curl -s -X POST ${org.url}/org/StartMessageMoveTask -d '{"SourceArn":"arn:aws:sqs:us-east-1:${LOCAL_ORG_ACCOUNTS[1]}:demo-orders-2-dlq","MaxNumberOfMessagesPerSecond":2,"Reason":"demo"}'
  curl -s '${org.url}/org/tasks?accountId=${LOCAL_ORG_ACCOUNTS[1]}'
`);
  }
  return undefined;
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    const port = (error as { code?: string; port?: number }).code === 'EADDRINUSE' ? (error as { port?: number }).port : undefined;
    console.error(`redrive-controller: ${port ? `port ${port} was taken while starting; set PORT, SQS_PORT, DYNAMODB_PORT or EVENTS_PORT to free ports` : error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
