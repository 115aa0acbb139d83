// `redrive retry|edit|discard <dlq> <messageId> --reason ...`: one message at a time (API.md section 12, docs/decisions.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CommandContext } from './commands';
import { GLOBAL_OPTIONS } from './commands';
import { type ParsedArgs, rejectUnknown, stringOption, UsageError } from './parse-args';
import { jsonForTerminal } from './terminal-text';
import { queueNameOf } from './wire-types';

type Action = 'retry' | 'edit' | 'discard';

interface PeekedEntry {
  readonly MessageId: string;
  readonly Body: string;
  readonly BodyTruncated: boolean;
}

/** Opens the body in $EDITOR (else $VISUAL, else vi) and answers what was saved; the file is removed after. */
export type BodyEditor = (body: string) => string;

export const editInEditor: BodyEditor = (body) => {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-edit-'));
  const file = join(dir, 'body.txt');
  try {
    writeFileSync(file, body, { mode: 0o600 });
    const editor = process.env.EDITOR || process.env.VISUAL || 'vi';
    // through the shell, as git runs $EDITOR: it may carry arguments ("code --wait")
    const result = spawnSync(`${editor} "$REDRIVE_EDIT_FILE"`, { shell: true, stdio: 'inherit', env: { ...process.env, REDRIVE_EDIT_FILE: file } });
    if (result.status !== 0) throw new UsageError(`the editor (${editor}) exited with ${result.status ?? result.signal}: nothing was sent`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export function decisionCommand(action: Action, editor: BodyEditor = editInEditor) {
  return async (ctx: CommandContext, args: ParsedArgs): Promise<number> => {
    rejectUnknown(args, [...GLOBAL_OPTIONS, 'reason', ...(action === 'discard' ? [] : ['to']), ...(action === 'edit' ? ['body', 'attributes'] : [])]);
    const usage = `redrive ${action} <dlq> <messageId> --reason TEXT${action === 'edit' ? ' [--body TEXT | $EDITOR]' : ''}`;
    const [dlq, messageId] = args.positionals;
    if (!dlq || !messageId) throw new UsageError(`missing the DLQ or the message id: ${usage} (ids as \`redrive peek <dlq>\` shows them)`);
    const reason = stringOption(args, 'reason');
    if (!reason) throw new UsageError(`missing --reason: say why, it is kept in the task's record (${usage})`);
    const name = queueNameOf(dlq);
    const body: Record<string, unknown> = { Action: action, Reason: reason };
    const to = stringOption(args, 'to');
    if (to) body.DestinationArn = to;
    if (action === 'edit') {
      body.Body = stringOption(args, 'body') ?? editor(await currentBody(ctx, name, messageId));
      const attributes = stringOption(args, 'attributes');
      if (attributes !== undefined) body.MessageAttributes = parseAttributes(attributes);
    }
    const answer = await ctx.api.post<{ TaskId: string; Outcome: 'done' | 'not-found' }>(`dlqs/${encodeURIComponent(name)}/messages/${encodeURIComponent(messageId)}`, body);
    if (ctx.json) return ctx.stdout.write(`${jsonForTerminal(answer, 2)}\n`), 0;
    if (answer.Outcome === 'not-found') {
      ctx.stdout.write(`${messageId} was not in ${name} (one pass over the DLQ did not see it); nothing changed. Task ${answer.TaskId}.\n`);
      return 1;
    }
    const done = { retry: 'sent back and deleted from the DLQ', edit: 'edited copy sent, original archived and deleted', discard: 'archived and deleted' }[action];
    ctx.stdout.write(`${messageId}: ${done}. Task ${answer.TaskId}.\n`);
    return 0;
  };
}

/** The body to start the edit from: peek's copy (up to 100 messages); a body peek cut at 8 KiB cannot be edited whole. */
async function currentBody(ctx: CommandContext, queueName: string, messageId: string): Promise<string> {
  const peek = await ctx.api.post<{ Messages: PeekedEntry[] }>(`dlqs/${encodeURIComponent(queueName)}/peek`, { MaxMessages: 100 });
  const found = peek.Messages.find((message) => message.MessageId === messageId);
  if (!found) throw new UsageError(`${messageId} was not among the messages peek saw in ${queueName}: give the new body with --body`);
  if (found.BodyTruncated) throw new UsageError(`${messageId}'s body is over 8 KiB, and peek shows only its start: give the whole new body with --body`);
  return found.Body;
}

function parseAttributes(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--attributes must be JSON: {"name": {"DataType": "String", "StringValue": "..."}}');
  }
}
