import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

import { type ControllerCounter, type ControllerMetrics, type DlqFigures, DlqMetric, METRICS_NAMESPACE, QUEUE_NAME_DIMENSION } from '../../domain/controller-metrics';

/**
 * ControllerMetrics as CloudWatch embedded metric format on stdout, through Powertools Metrics: no
 * SDK client and no call, CloudWatch Logs turns each line into metrics
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 *
 * Powertools' default `service` dimension is dropped: the counters are summed over every function
 * with no dimension, the DLQs' figures carry QueueName alone. A document has one value per
 * dimension, so each DLQ is its own document (4 metrics, far below EMF's 100 a document); the
 * counters and totals share one, which Powertools flushes on its own at 100 metrics.
 */
export class PowertoolsControllerMetrics implements ControllerMetrics {
  private readonly metrics: Metrics;

  constructor(options: { readonly functionName?: string } = {}) {
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, ...(options.functionName ? { functionName: options.functionName } : {}) });
    this.metrics.clearDefaultDimensions();
  }

  count(name: ControllerCounter, value: number): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
  }

  dlqTotals(figures: Pick<DlqFigures, 'deadLetterMessages' | 'newDeadLetterMessages'>): void {
    this.metrics.addMetric(DlqMetric.DeadLetterMessages, MetricUnit.Count, figures.deadLetterMessages);
    this.metrics.addMetric(DlqMetric.NewDeadLetterMessages, MetricUnit.Count, figures.newDeadLetterMessages);
  }

  dlq(queueName: string, figures: DlqFigures): void {
    // the document so far (counters, totals) goes first: it has no QueueName
    this.flush();
    this.metrics.addDimension(QUEUE_NAME_DIMENSION, queueName);
    this.metrics.addMetric(DlqMetric.DeadLetterMessages, MetricUnit.Count, figures.deadLetterMessages);
    this.metrics.addMetric(DlqMetric.NewDeadLetterMessages, MetricUnit.Count, figures.newDeadLetterMessages);
    if (figures.oldestDeadLetterAgeSeconds !== undefined) this.metrics.addMetric(DlqMetric.OldestDeadLetterAgeSeconds, MetricUnit.Seconds, figures.oldestDeadLetterAgeSeconds);
    if (figures.secondsUntilOldestExpires !== undefined) this.metrics.addMetric(DlqMetric.SecondsUntilOldestExpires, MetricUnit.Seconds, figures.secondsUntilOldestExpires);
    this.metrics.publishStoredMetrics();
  }

  /** Powertools' ColdStart metric (dimension function_name), on the first invocation only. */
  captureColdStart(functionName: string): void {
    this.metrics.captureColdStartMetric(functionName);
  }

  /** Writes what is stored; nothing (and no warning) when nothing is. */
  flush(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
