// redrive: the operators' CLI, an HTTP client of the controller's API (see docs/dashboard.md).
import { ApiClient, ApiError, DEFAULT_API_URL } from '../cli/api-client';
import {
  cancelCommand,
  type CommandContext,
  GLOBAL_OPTIONS,
  listCommand,
  queuesCommand,
  startCommand,
  tasksCommand,
  watchCommand,
} from '../cli/commands';
import { startDashboardProxy } from '../cli/dashboard-proxy';
import { integerOption, parseArgs, type ParsedArgs,rejectUnknown, stringOption, UsageError } from '../cli/parse-args';

const USAGE = `Usage: redrive <command> [options]

Commands:
  start <dlq> [--to <queue>] [--rate N] [--reason TEXT]   start a redrive of a DLQ (name or ARN)
        [--filter '<policy>' [--scope body] [--max-messages N] [--dry-run]]
                                                           only the messages an SNS filter policy matches;
                                                           --dry-run: how many of up to 100 would match
  list <dlq> [--max N]                                     SQS's current view of the DLQ's redrives
  cancel <handle> | --queue <dlq> [--reason TEXT]          cancel a RUNNING redrive
  tasks [--queue <dlq>] [--status S] [--limit N] [--next-token T]
                                                           the recorded redrives, newest first
  watch <taskId> [--interval MS]                           a live progress bar until the task ends
  queues                                                   the managed queues and their message counts
  dashboard [--port N]                                     the dashboard on 127.0.0.1, requests signed

Options:
  --api URL       the API's base URL (default: $REDRIVE_API_URL, else ${DEFAULT_API_URL})
  --region R      region for SigV4 when the URL does not name one (default: $AWS_REGION)
  --sign          sign with SigV4 even for a loopback URL (e.g. through a tunnel)
  --json          JSON for scripts instead of tables

Requests to a non-loopback URL are signed with your AWS credentials (service execute-api).
Exit status: 0 success, 1 the API or the task failed (its message on stderr), 2 usage error.`;

const COMMANDS: Record<string, (ctx: CommandContext, args: ParsedArgs) => Promise<number>> = {
  start: startCommand,
  list: listCommand,
  cancel: cancelCommand,
  tasks: tasksCommand,
  watch: watchCommand,
  queues: queuesCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const args = parseArgs(rest, ['json', 'sign', 'help', 'dry-run']);
  if (args.options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const region = stringOption(args, 'region');
  const api = new ApiClient({
    baseUrl: stringOption(args, 'api') ?? process.env.REDRIVE_API_URL ?? DEFAULT_API_URL,
    ...(args.options.sign ? { sign: true } : {}),
    ...(region ? { region } : {}),
  });
  if (command === 'dashboard') {
    rejectUnknown(args, [...GLOBAL_OPTIONS, 'port']);
    const proxy = await startDashboardProxy(api, integerOption(args, 'port', 0, 65535) ?? 8080);
    process.stdout.write(`Dashboard for ${api.baseUrl.href} at ${proxy.url}${api.signs ? ' (requests signed with your AWS credentials)' : ''}\nCtrl+C stops.\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await proxy.close();
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  return run({ api, json: args.options.json === true, stdout: process.stdout, stderr: process.stderr }, args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`redrive: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof ApiError) {
      process.stderr.write(`redrive: ${error.message}${error.status ? ` (${error.code}, HTTP ${error.status})` : ''}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`redrive: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
