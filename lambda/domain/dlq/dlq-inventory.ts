import type { TaskMoves } from './controller-moves';
import type { UnconfirmedMoves, UnexplainedFalls } from './dead-letter-arrivals';
import type { DeadLetterQueue } from './dead-letter-queue';

/**
 * What one run of the inventory job found: every DLQ in scope, as of one moment. GET /dlqs pages
 * through the newest one; `asOf` tells the caller how old its figures are.
 */
export interface DlqInventory {
  /** ISO-8601: when the run that built it started */
  readonly asOf: string;
  /** ISO-8601: every queue's depth of this run was read by then (a task begun after it moved nothing in them) */
  readonly depthsReadBy?: string;
  readonly dlqs: readonly DeadLetterQueue[];
  /**
   * DLQs gone in the last REMOVALS_KEPT_HOURS, with the run that first missed each: every complete
   * run sends them again, so a removal whose event was lost still reaches the org view.
   */
  readonly recentRemovals?: readonly RecentRemoval[];
  /** the controller's active tasks' moved counts at this run: the next run's arrival count starts from them */
  readonly taskMoves?: TaskMoves;
  /** per DLQ, falls in depth that no recorded move explained yet: moves recorded later explain them first (dead-letter-arrivals.ts) */
  readonly unexplainedFalls?: UnexplainedFalls;
  /** per DLQ, moves recorded before the depth showed them: held back from the count (dead-letter-arrivals.ts) */
  readonly unconfirmedMoves?: UnconfirmedMoves;
}

export interface RecentRemoval {
  readonly queueArn: string;
  /** ISO-8601: the run that first did not find it */
  readonly at: string;
}

/** Longer than the org view's own retries of an event (a day), so no lost removal outlives them. */
export const REMOVALS_KEPT_HOURS = 25;
/** The newest this many are kept (about 200 KB at most, on the inventory's one pointer item). */
export const MAX_RECENT_REMOVALS = 2_000;

/** This run's recent removals: the held ones still recent and still gone, plus the DLQs gone since `previous`. */
export function recentRemovalsOf(previous: DlqInventory | undefined, current: Pick<DlqInventory, 'asOf' | 'dlqs'>): RecentRemoval[] {
  const now = new Set(current.dlqs.map((dlq) => dlq.queueArn));
  const oldest = Date.parse(current.asOf) - REMOVALS_KEPT_HOURS * 3_600_000;
  const kept = (previous?.recentRemovals ?? []).filter((removal) => !now.has(removal.queueArn) && Date.parse(removal.at) >= oldest);
  const held = new Set(kept.map((removal) => removal.queueArn));
  const gone = (previous?.dlqs ?? []).filter((dlq) => !now.has(dlq.queueArn) && !held.has(dlq.queueArn)).map((dlq) => ({ queueArn: dlq.queueArn, at: current.asOf }));
  return [...kept, ...gone].slice(-MAX_RECENT_REMOVALS);
}
