// POST /dlqs/{queueName}/archive, GET /archives, GET /archives/{taskId}/messages, POST /archives/{taskId}/replay
//   --> start / listArchives / readArchivedMessages / startArchiveReplay --> JSON
import { parseArchiveRequest } from '../../domain/archive/archive-request';
import { checkRecoveryPause } from '../../domain/operations/check-recovery-pause';
import { dryRunSelection } from '../../domain/operations/dry-run-selection';
import { listArchives, readArchivedMessages } from '../../domain/operations/read-archives';
import { startArchiveReplay } from '../../domain/operations/start-archive-replay';
import { startSelectiveTask } from '../../domain/operations/start-selective-task';
import type { ControllerDependencies } from '../../domain/ports';
import { checkReasonGiven, type ReasonPolicy } from '../../domain/reason-policy';
import { type Params, readReason } from '../../domain/requests';
import { deletesArchived, type TaskRecord } from '../../domain/task-record';
import type { RequestSummary } from './handle-http-request';
import type { HttpResponse } from './http-request';
import { renderJson } from './render-response';

/** POST /dlqs/{queueName}/archive (API.md section 12): an archive task, or with DryRun a sample (the caller checked it is a message reader). */
export async function startArchive(
  deps: ControllerDependencies,
  queueName: string,
  params: Params,
  caller: string,
  summary: RequestSummary,
  policy: ReasonPolicy & { readonly checkReader: () => void },
  requestId: string,
): Promise<HttpResponse> {
  summary.queue = queueName;
  const request = parseArchiveRequest(queueName, params, deps.scope);
  const { start } = request;
  if (start.dryRun) {
    summary.dryRun = true;
    policy.checkReader();
    const sample = await dryRunSelection(deps, start, caller, undefined, true);
    summary.messages = sample.sampled;
    // every selected message has a route (the archive): none is unroutable
    return renderJson(200, { Sampled: sample.sampled, Matched: sample.matched + sample.unroutable, Unroutable: 0, ...(sample.truncated ? { Truncated: true } : {}) }, requestId);
  }
  checkReasonGiven(policy, start.reason, 'start');
  await checkRecoveryPause(deps, start.source, start.force === true);
  const actor = { by: caller, origin: 'api', ...(start.reason ? { reason: start.reason } : {}), ...(start.force ? { force: true } : {}) } as const;
  const result = await startSelectiveTask(deps, start, actor, undefined, { delete: request.delete });
  summary.taskId = result.taskId;
  return renderJson(200, { TaskHandle: result.taskHandle }, requestId);
}

/** GET /archives?queue=<name>: the archive tasks, newest first. */
export async function listArchivesRoute(deps: ControllerDependencies, query: Params, requestId: string): Promise<HttpResponse> {
  const page = await listArchives(deps, query);
  return renderJson(200, { archives: page.archives.map(archiveView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) }, requestId);
}

/** GET /archives/{taskId}/messages: the archived messages, as their lines hold them (message readers only: the caller checked). */
export async function archivedMessagesRoute(deps: ControllerDependencies, taskId: string, query: Params, summary: RequestSummary, requestId: string): Promise<HttpResponse> {
  summary.taskId = taskId;
  const page = await readArchivedMessages(deps, taskId, query);
  summary.messages = page.messages.length;
  return renderJson(200, { Messages: page.messages, ...(page.nextToken ? { nextToken: page.nextToken } : {}) }, requestId);
}

/** POST /archives/{taskId}/replay: a task of Kind archive-replay (message readers only: the caller checked). */
export async function replayArchiveRoute(deps: ControllerDependencies, archiveTaskId: string, params: Params, caller: string, summary: RequestSummary, policy: ReasonPolicy, requestId: string): Promise<HttpResponse> {
  const reason = readReason(params);
  checkReasonGiven(policy, reason, 'start');
  // Force is read with the request's other fields (true or "true"), and recorded from there
  const result = await startArchiveReplay(deps, archiveTaskId, params, { by: caller, origin: 'api', ...(reason ? { reason } : {}) });
  summary.taskId = result.taskId;
  return renderJson(200, { TaskHandle: result.taskHandle }, requestId);
}

function archiveView(record: TaskRecord) {
  return {
    TaskId: record.taskId,
    QueueArn: record.sourceArn,
    Status: record.status,
    Messages: record.approximateNumberOfMessagesMoved,
    Deleted: deletesArchived(record),
    Reason: record.startReason,
    StartedBy: record.startedBy,
    CreatedAt: record.createdAt,
  };
}
