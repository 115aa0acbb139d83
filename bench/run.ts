// npm run bench: builds the floor bundle, measures cold start, AWS calls per request, warm latency,
// throughput, the reconciler's scaling, the DLQ inventory, the selective mover, replay and the org view, prints one table and exits non-zero if a target is missed.
// Noisy by nature: not part of npm test or CI. Figures and their meaning: docs/performance.md.
// `npm run bench -- mover` (or any of SECTIONS) runs only the sections named.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

import { bundlePath } from '../lib/lambda-bundling';
import { measureArchiveThroughput } from './archive-throughput';
import { measureAwsCalls } from './aws-calls';
import { startBenchStack } from './bench-stack';
import { buildFirstRequestFloorBundle, measureColdRequest } from './cold-request';
import { buildFloorBundle, buildTracedFloorBundle, measureColdStart, quantile, TRACING_OFF, TRACING_ON } from './cold-start';
import { measureDlqInventory } from './dlq-inventory';
import { measureLatency } from './latency';
import { reportMatcherThroughput } from './matcher-throughput';
import { measureMoverThroughput } from './mover-throughput';
import { measureOrgPutEventsDelay } from './org-put-events-delay';
import { measureOrgView } from './org-view';
import { measureReconcilerScaling } from './reconciler-scaling';
import { measureRecovery } from './recovery';
import { measureReplayThroughput } from './replay-throughput';
import { kb, ms, ratio, Report } from './report';
import { measureThroughput } from './throughput';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const COLD_START_RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 21);
const LATENCY_PAIRS = Number(process.env.BENCH_LATENCY_PAIRS ?? 200);
const THROUGHPUT_REQUESTS = Number(process.env.BENCH_THROUGHPUT_REQUESTS ?? 150);
const MOVER_MESSAGES = Number(process.env.BENCH_MOVER_MESSAGES ?? 2000);
const REPLAY_MESSAGES = Number(process.env.BENCH_REPLAY_MESSAGES ?? 500);
// the figure is 100,000 task events; the default keeps a run short on a laptop
const ORG_EVENTS = Number(process.env.BENCH_ORG_EVENTS ?? 5000);

/** What `npm run bench -- <section>...` may name. */
const SECTIONS = ['cold-start', 'matcher', 'aws-calls', 'latency', 'reconciler', 'inventory', 'recovery', 'mover', 'replay', 'archive', 'org'] as const;
type Section = (typeof SECTIONS)[number];

function chosenSections(names: readonly string[]): (section: Section) => boolean {
  const unknown = names.filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown bench section ${unknown.join(', ')}: choose from ${SECTIONS.join(', ')}`);
  return (section) => names.length === 0 || names.includes(section);
}

async function main(): Promise<number> {
  const runs = chosenSections(process.argv.slice(2));
  const report = new Report();
  const started = performance.now();
  const step = (name: string) => process.stderr.write(`bench: ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);

  if (runs('cold-start')) {
    step('cold start');
    const floorBundle = await buildFloorBundle();
    const tracedFloorBundle = await buildTracedFloorBundle();
    const firstRequestFloorBundle = await buildFirstRequestFloorBundle();
    const apiBundle = resolve(__dirname, '..', bundlePath('api'));
    await coldStart(report, { apiBundle, floorBundle, tracedFloorBundle, firstRequestFloorBundle }, 'Node.js (this)');
    const node22 = findNode22();
    if (node22) await coldStart(report, { apiBundle, floorBundle, tracedFloorBundle, firstRequestFloorBundle, node: node22 }, 'Node.js 22');
    else report.info('cold start', 'Node.js 22', 'not measured (npx -y node@22 unavailable; set BENCH_NODE22 to a binary)');
  }

  if (runs('matcher')) {
    step('content filter');
    reportMatcherThroughput(report);
  }

  if (runs('aws-calls')) {
    step('AWS calls per request');
    await measureAwsCalls(report);
  }

  if (runs('latency')) {
    // no scheduled reconciler: its count writes on the RUNNING tasks would fail the necessary work's conditional claim
    const t = await startBenchStack({ reconcileIntervalMs: 0 });
    try {
      step('warm latency');
      await measureLatency(report, t, LATENCY_PAIRS);
      step('throughput');
      await measureThroughput(report, t, THROUGHPUT_REQUESTS);
    } finally {
      await t.stop();
    }
  }

  if (runs('reconciler')) {
    step('reconciler scaling');
    await measureReconcilerScaling(report);
  }

  if (runs('inventory')) {
    step('DLQ inventory');
    await measureDlqInventory(report);
  }

  if (runs('recovery')) {
    step('recovery');
    await measureRecovery(report);
  }

  if (runs('mover')) {
    step('selective mover');
    await measureMoverThroughput(report, MOVER_MESSAGES);
  }

  if (runs('replay')) {
    step('replay');
    await measureReplayThroughput(report, REPLAY_MESSAGES);
  }

  if (runs('archive')) {
    step('archive');
    await measureArchiveThroughput(report, Number(process.env.BENCH_ARCHIVE_MESSAGES ?? 1000));
  }

  if (runs('org')) {
    step('org view');
    await measureOrgView(report, ORG_EVENTS);
    await measureOrgPutEventsDelay(report);
  }

  const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${process.platform}/${process.arch}`;
  console.log(`\nredrive-controller benchmark: ${machine}; ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  console.log(report.render());
  const missed = report.missed;
  console.log(missed.length ? `\n${missed.length} target(s) missed.` : '\nAll targets met.');
  return missed.length ? 1 : 0;
}

/**
 * The API against the floor twice: tracing off (the local stack's setting) against issue 7's floor,
 * and tracing on (deployed) against the floor with the Tracer, the like-for-like floor of a traced
 * function (bench/floor/traced-entry.ts). The Tracer's own cost is the traced floor over the floor.
 */
async function coldStart(
  report: Report,
  bundles: { apiBundle: string; floorBundle: string; tracedFloorBundle: string; firstRequestFloorBundle: string; node?: string },
  label: string,
): Promise<void> {
  const off = await measureColdStart({ apiBundle: bundles.apiBundle, floorBundle: bundles.floorBundle, node: bundles.node, env: TRACING_OFF, runs: COLD_START_RUNS });
  const section = `cold start ${off.node}`;
  report.info(section, `init, tracing off, median of ${off.runs}: floor / API`, `${ms(off.floorInitMs)} / ${ms(off.apiInitMs)}`);
  report.atMost(section, `init ratio API / floor, tracing off (${label})`, off.apiInitMs / off.floorInitMs, 1.1, ratio);
  report.info(section, 'the same, tracing off, run by run: median (middle half)', spread(off.pairRatios));
  const on = await measureColdStart({ apiBundle: bundles.apiBundle, floorBundle: bundles.tracedFloorBundle, node: bundles.node, env: TRACING_ON, runs: COLD_START_RUNS });
  report.info(section, `init, tracing on, median of ${on.runs}: traced floor / API`, `${ms(on.floorInitMs)} / ${ms(on.apiInitMs)}`);
  report.atMost(section, `init ratio API / traced floor, tracing on (${label})`, on.apiInitMs / on.floorInitMs, 1.1, ratio);
  report.info(section, 'the same, tracing on, run by run: median (middle half)', spread(on.pairRatios));
  report.info(section, "the Tracer's own cost: traced floor / floor", ratio(on.floorInitMs / off.floorInitMs));
  report.info(section, 'bytes at init, tracing off: floor / API', `${kb(off.floorBytes)} / ${kb(off.apiBytes)}`);
  report.atMost(section, 'size ratio API / floor', off.apiBytes / off.floorBytes, 1.15, ratio);
  // what a caller waits for: INIT and the first request (bench/cold-request.ts); no target of its own
  const request = await measureColdRequest({ apiBundle: bundles.apiBundle, floorBundle: bundles.firstRequestFloorBundle, node: bundles.node, runs: COLD_START_RUNS });
  report.info(section, `INIT + first ListMessageMoveTasks, tracing off, median of ${request.runs}: floor / API`, `${ms(request.floorMs)} / ${ms(request.apiMs)}`);
  report.info(section, 'the same, API / floor: ratio of medians; run by run, median (middle half)', `${ratio(request.apiMs / request.floorMs)}; ${spread(request.pairRatios)}`);
}

/** Ratios of paired runs: their median and the range of the middle half, e.g. `1.08 (1.03–1.13)`. */
function spread(ratios: readonly number[]): string {
  return `${ratio(quantile(ratios, 0.5))} (${ratio(quantile(ratios, 0.25))}–${ratio(quantile(ratios, 0.75))})`;
}

/** Lambda's Node.js major, from BENCH_NODE22 or the npm package `node@22`; optional. */
function findNode22(): string | undefined {
  if (process.env.BENCH_NODE22) return process.env.BENCH_NODE22;
  if (process.versions.node.startsWith('22.')) return undefined;
  try {
    const binary = execFileSync('npx', ['-y', 'node@22', '-p', 'process.execPath'], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return binary || undefined;
  } catch {
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
