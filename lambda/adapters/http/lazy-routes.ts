// The code only some API requests run, behind one `await import()` in handle-http-request.ts: the DLQ,
// decision and archive routes, dry runs, selective starts, recovery's pause and hold, a FilterPolicy's
// parser. One module on purpose: esbuild's code splitting makes a chunk of each set of entries that
// share code, so one lazy entry (not one a route) keeps the API's cold start at two files of its own
// code (docs/performance.md, "Cold start: one lazy chunk").
export { parseFilterPolicy } from '../../domain/content-filter/filter-policy';
export { checkRecoveryPause, holdAfterPersonCancel } from '../../domain/operations/check-recovery-pause';
export { dryRunSelection } from '../../domain/operations/dry-run-selection';
export { startSelectiveTask } from '../../domain/operations/start-selective-task';
export { archivedMessagesRoute, listArchivesRoute, replayArchiveRoute, startArchive } from './handle-archive-route';
export { handleDecisionRoute } from './handle-decision-route';
export { handleDlqRoute } from './handle-dlq-route';
