// The content filter's worst case per message, in process: for each hostile policy shape, the
// largest policy of that shape the parser admits (found by bisection, so the figure follows the
// limits of the code it runs against), matched as the mover and the dry run match (`selects`:
// subject built, then matched) against bodies of about 1 MiB, SQS's largest message, and wide arrays.
// Run alone: `npx tsx bench/matcher-worst-case.ts` (prints ms per message, the worst last).
import { parseFilterPolicy } from '../lambda/domain/content-filter/filter-policy';
import type { DlqMessage } from '../lambda/domain/dlq-message';
import { type MessageSelection, selects } from '../lambda/domain/message-selection';
import { dottedKeysBesideWideArray, onePathSpelledManyWays } from '../test/support/dotted-key-bodies';

const MIB = 1024 * 1024;
/** SQS's largest message, less room for the JSON around the array */
const BODY_BYTES = MIB - 64;

const value = (at: number) => `v${String(at).padStart(6, '0')}`;
/** n values, the one the bodies carry (`v000000`) last, so an `anything-but` reads them all before it excludes */
const excludedLast = (n: number) => [...Array.from({ length: n - 1 }, (_, at) => value(at + 1)), value(0)];

/** Hostile policy shapes, each growing with `n`; the last value is the one the bodies carry. */
const SHAPES: Record<string, (n: number) => Record<string, unknown>> = {
  'anything-but list': (n) => ({ k: [{ 'anything-but': excludedLast(n) }] }),
  'exact values': (n) => ({ k: Array.from({ length: n }, (_, at) => value(at + 1)) }),
  'equals-ignore-case values': (n) => ({ k: Array.from({ length: n }, (_, at) => ({ 'equals-ignore-case': value(at + 1) })) }),
  '$or of anything-but lists': (n) => ({
    $or: Array.from({ length: Math.max(2, n) }, () => ({ k: [{ 'anything-but': [value(0), value(1)] }] })),
  }),
  'nested anything-but list': (n) => ({ a: { k: [{ 'anything-but': excludedLast(n) }] } }),
};

/** Bodies of about 1 MiB that make every rule do its most work (`v000000` is excluded or unmatched). */
const BODIES: Record<string, () => string> = {
  'wide array of excluded strings': () => wideArray('k', JSON.stringify(value(0))),
  'wide array of numbers': () => wideArray('k', '0'),
  'one long string': () => JSON.stringify({ k: 'V'.repeat(BODY_BYTES - 10) }),
  'wide array of objects': () => wideArray('a', `{"k":${JSON.stringify(value(0))}}`),
  // within the element cap (when the code has one), the rest of the 1 MiB a long text
  '10,000 excluded strings + 1 MiB padding': () => padded('k', JSON.stringify(value(0)), 10_000),
  '10,000 objects + 1 MiB padding': () => padded('a', `{"k":${JSON.stringify(value(0))}}`, 10_000),
  // dotted keys make the body be spelled as nesting first (dotted-keys.ts), within and past SUBJECT_CAPS.maxExpansionSteps:
  // dotted keys beside a wide array (the review's 514 KB body took 28 s before the expansion was linear), and one path
  // spelled many ways, whose merges walk a wide object again at each level
  '12,500 dotted keys beside 50,000 elements + 1 MiB padding': () => paddedObject(dottedKeysBesideWideArray(50_000, 12_500)),
  '25,000 dotted keys beside 100,000 elements + 1 MiB padding': () => paddedObject(dottedKeysBesideWideArray(100_000, 25_000)),
  'one path spelled 20 ways around 6,000 keys + 1 MiB padding': () => paddedObject(onePathSpelledManyWays(20, 6_000)),
  'one path spelled 20 ways around 60,000 keys + 1 MiB padding': () => paddedObject(onePathSpelledManyWays(20, 60_000)),
};

/** A JSON object's text with a `pad` key added, to about 1 MiB. */
function paddedObject(object: string): string {
  return `${object.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, BODY_BYTES - object.length - 10))}"}`;
}

function padded(key: string, element: string, count: number): string {
  const array = `"${key}":[${Array<string>(count).fill(element).join(',')}]`;
  return `{${array},"pad":"${'x'.repeat(BODY_BYTES - array.length - 12)}"}`;
}

function wideArray(key: string, element: string): string {
  const count = Math.floor((BODY_BYTES - key.length - 8) / (element.length + 1));
  return `{"${key}":[${Array<string>(count).fill(element).join(',')}]}`;
}

/** The largest `n` the parser admits for a shape (policies grow with n until a limit refuses them). */
function largestAdmitted(shape: (n: number) => Record<string, unknown>): number {
  const admits = (n: number) => {
    try {
      parseFilterPolicy(shape(n), 'MessageBody');
      return true;
    } catch {
      return false;
    }
  };
  let low = 1;
  let high = 1;
  while (admits(high * 2) && high < 1_000_000) high *= 2;
  high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (admits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function message(body: string): DlqMessage {
  return { messageId: 'm', receiptHandle: 'r', body, messageAttributes: {}, sentTimestamp: 0 };
}

/** ms per message: repeated until 300 ms have passed (a slow case runs once). */
function msPerMessage(selection: MessageSelection, subject: DlqMessage): number {
  let runs = 0;
  const started = performance.now();
  do {
    selects(selection, subject);
    runs += 1;
  } while (performance.now() - started < 300);
  return (performance.now() - started) / runs;
}

export interface WorstCaseRow {
  readonly shape: string;
  readonly admitted: number;
  readonly body: string;
  readonly ms: number;
}

export function measureMatcherWorstCase(): WorstCaseRow[] {
  const rows: WorstCaseRow[] = [];
  const bodies = Object.entries(BODIES).map(([name, make]) => [name, message(make())] as const);
  for (const [shapeName, shape] of Object.entries(SHAPES)) {
    const admitted = largestAdmitted(shape);
    const selection: MessageSelection = { filterPolicy: parseFilterPolicy(shape(admitted), 'MessageBody') };
    for (const [bodyName, body] of bodies) {
      rows.push({ shape: shapeName, admitted, body: bodyName, ms: msPerMessage(selection, body) });
    }
  }
  return rows;
}

if (require.main === module) {
  const rows = measureMatcherWorstCase();
  for (const row of rows) console.log(`${row.shape} (n = ${row.admitted}) × ${row.body}: ${row.ms.toFixed(2)} ms/message`);
  const worst = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(`worst: ${worst.shape} × ${worst.body}: ${worst.ms.toFixed(2)} ms/message`);
}
