/**
 * The controller's CloudWatch metrics (API.md section 13, docs/metrics.md), as the domain reports
 * them; lambda/adapters/cloudwatch/powertools-controller-metrics.ts writes them as embedded metric
 * format through Powertools Metrics. Names and namespace are plain data: lib/ reads them for the
 * dashboard and the alarm.
 */
export const METRICS_NAMESPACE = 'RedriveController';

/** Counters with no dimension, summed over every function that emits them. */
export const ControllerCounter = {
  RedrivesStarted: 'RedrivesStarted',
  RedrivesCancelled: 'RedrivesCancelled',
  RedrivesFailed: 'RedrivesFailed',
  MessagesMoved: 'MessagesMoved',
  MessagesArchived: 'MessagesArchived',
  MessagesReplayed: 'MessagesReplayed',
} as const;
export type ControllerCounter = (typeof ControllerCounter)[keyof typeof ControllerCounter];

/** Per DLQ (dimension QUEUE_NAME_DIMENSION), from each inventory run. */
export const DlqMetric = {
  DeadLetterMessages: 'DeadLetterMessages',
  NewDeadLetterMessages: 'NewDeadLetterMessages',
  OldestDeadLetterAgeSeconds: 'OldestDeadLetterAgeSeconds',
  SecondsUntilOldestExpires: 'SecondsUntilOldestExpires',
} as const;
export type DlqMetric = (typeof DlqMetric)[keyof typeof DlqMetric];

export const QUEUE_NAME_DIMENSION = 'QueueName';

/** One DLQ's figures of one run; the ages only where the inventory knows them. */
export interface DlqFigures {
  readonly deadLetterMessages: number;
  readonly newDeadLetterMessages: number;
  readonly oldestDeadLetterAgeSeconds?: number;
  readonly secondsUntilOldestExpires?: number;
}

/** Where the domain reports what happened; the entry flushes once per invocation. */
export interface ControllerMetrics {
  count(name: ControllerCounter, value: number): void;
  /** one DLQ's figures (dimension QueueName) */
  dlq(queueName: string, figures: DlqFigures): void;
  /** the run's sums over every DLQ, with no dimension: what the alarm on new dead letters watches */
  dlqTotals(figures: Pick<DlqFigures, 'deadLetterMessages' | 'newDeadLetterMessages'>): void;
}

/** For runtimes and tests that report nothing. */
export const NO_METRICS: ControllerMetrics = { count: () => undefined, dlq: () => undefined, dlqTotals: () => undefined };
