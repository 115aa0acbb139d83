import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/** Where the reliability tests leave their figures; `npm run reliability:report` renders them. */
export const FIGURES_DIR = resolve(__dirname, '../../test-output/reliability');

/** One thing tried and what held, as a row of docs/reliability.md. */
export interface ReliabilityFigure {
  /** e.g. concurrency, faults, hostile input, security */
  readonly area: string;
  readonly scenario: string;
  /** concurrent requests sent at once */
  readonly concurrentRequests?: number;
  /** the faults injected and how many calls they hit */
  readonly faults?: string;
  /** generated inputs tried (property tests) */
  readonly cases?: number;
  /** what the test asserted held */
  readonly held: string;
}

/** Records a figure once its test's assertions passed (call it last in the test). */
export function recordFigure(testFile: string, figure: ReliabilityFigure): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  appendFileSync(resolve(FIGURES_DIR, `${basename(testFile, '.ts')}.jsonl`), `${JSON.stringify({ ...figure, at: new Date().toISOString() })}\n`);
}
