// redrive: the operators' CLI, an HTTP client of the controller's API (see docs/dashboard.md).
import { ApiClient, ApiError, DEFAULT_API_URL } from '../cli/api-client';
import { archiveCommand, archivesCommand } from '../cli/archive-commands';
import {
  cancelCommand,
  type CommandContext,
  listCommand,
  queuesCommand,
  startCommand,
  tasksCommand,
  watchCommand,
} from '../cli/commands';
import { dashboardCommand } from '../cli/dashboard-command';
import { decisionCommand } from '../cli/decision-commands';
import { dlqsCommand, peekCommand } from '../cli/dlq-commands';
import { ORG_COMMANDS } from '../cli/org-mode';
import { parseArgs, type ParsedArgs, stringOption, UsageError } from '../cli/parse-args';
import { holdCommand, releaseCommand } from '../cli/recovery-commands';
import { escapeControlCharacters, escapeForTerminal } from '../cli/terminal-text';
import { version } from '../package.json';

const USAGE = `Usage: redrive [options] <command> [options]

Commands:
  start <dlq> --reason TEXT [--to <queue>] [--rate N]     start a redrive of a DLQ (name or ARN)
        [--filter '<policy>' [--scope body] [--sent-after T] [--sent-before T] [--max-messages N] [--dry-run]]
                                                           only the messages an SNS filter policy matches;
                                                           --sent-after/--sent-before: only those sent in that
                                                           window (T: epoch ms, or ISO-8601 such as 2026-12-07
                                                           or 2026-12-07T12:00:00Z);
                                                           --dry-run: how many of up to 100 would match
  list <dlq> [--max N]                                     SQS's current view of the DLQ's redrives
  cancel <handle> | --queue <dlq>  --reason TEXT           cancel a RUNNING redrive
  tasks [--queue <dlq>] [--status S] [--limit N] [--next-token T]
                                                           the recorded redrives, newest first: who started
                                                           or cancelled each, and why
  watch <taskId> [--interval MS]                           a live progress bar until the task ends
  queues                                                   the managed queues, their role and message counts
  dlqs [--prefix P] [--sort messages|name|age] [--limit N] [--next-token T]
                                                           the dead-letter queues, most messages first
  peek <dlq> [--max N]                                     a sample of a DLQ's messages (none kept or lost)
  retry <dlq> <messageId> --reason TEXT [--to <queue ARN>] send one message back (or to --to), then delete it
  edit <dlq> <messageId> --reason TEXT [--body TEXT] [--attributes JSON] [--to <queue ARN>]
                                                           send an edited copy ($EDITOR without --body); the
                                                           original is archived, deleted, never sent
  discard <dlq> <messageId> --reason TEXT                  archive one message, then delete it
  archive <dlq> --reason TEXT [--delete] [--filter POLICY [--scope body]] [--sent-after T] [--sent-before T] [--max-messages N] [--rate N] [--dry-run]
                                                           every (selected) message to the S3 archive (--delete: then out of the DLQ)
  archives [--queue <dlq>]                                 the archives, newest first
  archives replay <taskId> --reason TEXT [--destination <queue>] [--filter POLICY [--scope body]] [--sent-after T] [--sent-before T] [--max-messages N] [--rate N]
                                                           an archive's messages back to the queues they failed in (or --destination)
  hold <dlq> --reason TEXT                                 hold a DLQ's recovery: nothing automatic until released
  release <dlq> --reason TEXT                              release a held DLQ: it resumes once its alarms are OK
  dashboard [--port N]                                     the dashboard on 127.0.0.1, requests signed
                                                           (under --org: the dashboard in org mode)

Over an AWS Organization (--org <org API URL>, docs/organization.md): tasks, dlqs, start, list,
cancel and dashboard use the org view, with an ACCOUNT column; --account <id> filters tasks and dlqs,
and picks the account of a DLQ given by name (or pass its ARN). Each action is sent to the account
that owns the queue.

start and cancel always need --reason: it is kept in the task's record (who, why, when), and a
deployment with api.requireReason refuses them without one.

Options (before or after the command):
  --api URL       the API's base URL (default: $REDRIVE_API_URL, else ${DEFAULT_API_URL})
  --org URL       the org API's base URL instead (default: $REDRIVE_ORG_URL, unless --api is given)
  --region R      region for SigV4 when the URL does not name one (default: $AWS_REGION)
  --sign          sign with SigV4 even for a loopback URL (e.g. through a tunnel)
  --json          JSON for scripts instead of tables
  --help          this text;  --version  the CLI's version

Requests to a non-loopback URL are signed with your AWS credentials (service execute-api).
Exit status: 0 success, 1 the API or the task failed (its message on stderr), 2 usage error.`;

const COMMANDS: Record<string, (ctx: CommandContext, args: ParsedArgs) => Promise<number>> = {
  start: startCommand,
  list: listCommand,
  cancel: cancelCommand,
  tasks: tasksCommand,
  watch: watchCommand,
  queues: queuesCommand,
  dlqs: dlqsCommand,
  peek: peekCommand,
  retry: decisionCommand('retry'),
  edit: decisionCommand('edit'),
  discard: decisionCommand('discard'),
  archive: archiveCommand,
  archives: archivesCommand,
  hold: holdCommand,
  release: releaseCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  // global options may come before the command (`redrive --api URL tasks`): parse the whole line
  const parsed = parseArgs(argv.map((arg) => (arg === '-h' ? '--help' : arg === '-V' ? '--version' : arg)), ['json', 'sign', 'help', 'version', 'dry-run', 'delete']);
  const [command, ...positionals] = parsed.positionals;
  const args: ParsedArgs = { positionals, options: parsed.options };
  if (args.options.version) {
    process.stdout.write(`redrive ${version}\n`);
    return 0;
  }
  if (args.options.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!command) throw new UsageError('missing the command');
  const run = COMMANDS[command];
  if (!run && command !== 'dashboard') throw new UsageError(`unknown command "${command}"`);
  const region = stringOption(args, 'region');
  const apiUrl = stringOption(args, 'api');
  const orgOption = stringOption(args, 'org');
  if (apiUrl !== undefined && orgOption !== undefined) throw new UsageError('give --api (one account) or --org (the organization), not both');
  // REDRIVE_ORG_URL serves the commands the org offers; the others go to REDRIVE_API_URL when it is set too
  const envOrgUrl = apiUrl === undefined ? process.env.REDRIVE_ORG_URL || undefined : undefined;
  const orgUrl = orgOption ?? (envOrgUrl !== undefined && (ORG_COMMANDS.includes(command) || !process.env.REDRIVE_API_URL) ? envOrgUrl : undefined);
  if (orgUrl !== undefined && !ORG_COMMANDS.includes(command)) {
    throw new UsageError(`${command} is not offered by the org view (it serves ${ORG_COMMANDS.join(', ')}): use the account's own API with --api <its URL>`);
  }
  const api = new ApiClient({
    baseUrl: orgUrl ?? apiUrl ?? process.env.REDRIVE_API_URL ?? DEFAULT_API_URL,
    ...(args.options.sign ? { sign: true } : {}),
    ...(region ? { region } : {}),
  });
  if (!run) return dashboardCommand(api, args, orgUrl !== undefined);
  return run({ api, org: orgUrl !== undefined, json: args.options.json === true, stdout: process.stdout, stderr: process.stderr }, args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // the one line that went wrong, not the whole help
      process.stderr.write(`redrive: ${error.message}\nSee \`redrive --help\`.\n`);
      process.exitCode = 2;
    } else if (error instanceof ApiError) {
      // the API's sentences quote what was sent: shown escaped, never as terminal controls
      process.stderr.write(`redrive: ${escapeForTerminal(error.message)}${error.status ? ` (${escapeControlCharacters(error.code)}, HTTP ${error.status})` : ''}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`redrive: ${escapeForTerminal(error instanceof Error ? error.message : String(error))}\n`);
      process.exitCode = 1;
    }
  },
);
