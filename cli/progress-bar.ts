import type { MoveTask } from './wire-types';

const WIDTH = 30;

/** `[#########.....................]  12/40  30%  RUNNING  2/s  elapsed 6s` */
export function progressLine(task: MoveTask, now: number): string {
  const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
  const total = task.ApproximateNumberOfMessagesToMove;
  const known = typeof total === 'number' && total > 0;
  const ratio = known ? Math.min(1, moved / total) : 0;
  const filled = Math.round(ratio * WIDTH);
  const bar = known ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]` : `[${'?'.repeat(WIDTH)}]`;
  const count = known ? `${moved}/${total}  ${Math.floor(ratio * 100)}%` : `${moved} moved`;
  const rate = task.MaxNumberOfMessagesPerSecond ? `${task.MaxNumberOfMessagesPerSecond}/s` : 'default rate';
  const elapsed = task.StartedTimestamp ? `elapsed ${formatDuration(now - task.StartedTimestamp)}` : '';
  return [bar, count, task.Status, rate, elapsed].filter(Boolean).join('  ');
}

export function formatDuration(ms: number): string {
  let seconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`;
}
