import type { Leaf } from './value-rule';

/**
 * How much of one message the matcher reads, so matching any message against any admitted policy
 * takes bounded time (milliseconds, not seconds: `bench/matcher-worst-case.ts`). A message past a
 * cap matches nothing, as a body that is no JSON matches nothing: the mover skips it, a dry run
 * counts it as not matching, and nothing stalls.
 */
export const SUBJECT_CAPS = {
  /** bytes of a body parsed for a MessageBody policy: SQS's largest message (1 MiB), so every SQS message is read */
  maxBodyBytes: 1024 * 1024,
  /**
   * elements of the arrays one match reads (nested arrays counted together; an array read by two
   * keys or two `$or` alternatives is counted once): an admitted policy holds at most 750 values, so
   * a match makes at most a few million value tests (most are Set lookups)
   */
  maxArrayElements: 10_000,
  /**
   * steps of spelling a body's dotted keys as nesting (`dotted-keys.ts`: each key and array element
   * visited, copied or merged counts one), taken only for bodies with a dotted key: about the keys and
   * elements of 1 MiB of ordinary JSON, each visited once. A hostile body (one path spelled many ways,
   * each merge walking a wide object again) stops here after ~0.1 s on a loaded 2-core machine.
   */
  maxExpansionSteps: 128 * 1024,
} as const;

/** Thrown inside a match when the subject passes a cap; the match then answers "no match". */
export class SubjectOverCap extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'SubjectOverCap';
  }
}

/**
 * One match's reading of its subject: each array flattened once (and counted once against the cap),
 * each text lower-cased once however many `equals-ignore-case` rules read it.
 */
export class SubjectReader {
  private elementsLeft: number;
  private readonly flattened = new Map<readonly unknown[], unknown[]>();
  private readonly lowered = new Map<string, string>();
  private readonly leaves = new Map<readonly unknown[], Leaf[]>();
  private readonly objects = new Map<readonly unknown[], object[]>();

  constructor(maxArrayElements: number = SUBJECT_CAPS.maxArrayElements) {
    this.elementsLeft = maxArrayElements;
  }

  /** The elements of nested arrays, in order, without recursion (a body can nest arrays deeper than the stack allows). */
  elementsOf(array: readonly unknown[]): unknown[] {
    const known = this.flattened.get(array);
    if (known) return known;
    const elements: unknown[] = [];
    const pending: (readonly unknown[])[] = [array];
    const positions: number[] = [0];
    while (pending.length > 0) {
      const top = pending.length - 1;
      const current = pending[top] as readonly unknown[];
      const at = positions[top] as number;
      if (at === current.length) {
        pending.pop();
        positions.pop();
        continue;
      }
      positions[top] = at + 1;
      this.elementsLeft -= 1;
      if (this.elementsLeft < 0) throw new SubjectOverCap(`the arrays read hold more than ${SUBJECT_CAPS.maxArrayElements} elements`);
      const element = current[at];
      if (Array.isArray(element)) {
        pending.push(element);
        positions.push(0);
      } else {
        elements.push(element);
      }
    }
    this.flattened.set(array, elements);
    return elements;
  }

  /** An array's leaf values (strings, numbers, booleans, null; not objects), nested arrays flattened; once per array. */
  leavesOf(array: readonly unknown[]): Leaf[] {
    let leaves = this.leaves.get(array);
    if (leaves === undefined) {
      leaves = this.elementsOf(array).filter(isLeaf);
      this.leaves.set(array, leaves);
    }
    return leaves;
  }

  /** An array's objects, nested arrays flattened; once per array. */
  objectsOf(array: readonly unknown[]): object[] {
    let objects = this.objects.get(array);
    if (objects === undefined) {
      objects = this.elementsOf(array).filter((element): element is object => typeof element === 'object' && element !== null);
      this.objects.set(array, objects);
    }
    return objects;
  }

  lowerCase(text: string): string {
    let lower = this.lowered.get(text);
    if (lower === undefined) {
      lower = text.toLowerCase();
      this.lowered.set(text, lower);
    }
    return lower;
  }
}

export function isLeaf(value: unknown): value is Leaf {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean';
}
