import { countArrivals } from '../../../../lambda/domain/dlq/dead-letter-arrivals';
import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import type { DlqInventory } from '../../../../lambda/domain/dlq/dlq-inventory';

const ARN = 'arn:aws:sqs:us-east-1:111111111111:';
const NO_MOVES = { movedOut: new Map<string, number>(), active: new Set<string>(), recordedLate: new Set<string>() };

function dlq(name: string, visible: number, inFlight = 0): DeadLetterQueue {
  return { queueArn: `${ARN}${name}`, queueName: name, approximateNumberOfMessages: visible, approximateNumberOfMessagesNotVisible: inFlight, sourceQueueArns: [], origin: 'sqs', targets: [] };
}

function inventory(dlqs: DeadLetterQueue[], unexplainedFalls?: Record<string, number>, unconfirmedMoves?: Record<string, number>): DlqInventory {
  return { asOf: '2026-12-01T10:01:00.000Z', dlqs, ...(unexplainedFalls ? { unexplainedFalls } : {}), ...(unconfirmedMoves ? { unconfirmedMoves } : {}) };
}

/** Moves the controller's tasks recorded out of one DLQ since the previous run; `active`: a native task of it still runs. */
function moves(name: string, movedOut: number, active = true) {
  const running = new Set(active ? [`${ARN}${name}`] : []);
  return { movedOut: new Map([[`${ARN}${name}`, movedOut]]), active: running, recordedLate: running };
}

describe('countArrivals', () => {
  const previous = inventory([dlq('grew', 2), dlq('drained', 10), dlq('redriving', 50), dlq('received', 3, 2)]);

  it.each([
    ['the rise in depth', 'grew', dlq('grew', 7), NO_MOVES, 5],
    ['nothing when the depth only fell (a consumer, retention): arrivals are never invented', 'drained', dlq('drained', 4), NO_MOVES, 0],
    ['the rise plus what the controller moved out meanwhile', 'redriving', dlq('redriving', 30), moves('redriving', 25), 5],
    ['in-flight messages as dead letters still: a peek does not look like a drop', 'received', dlq('received', 0, 5), NO_MOVES, 0],
    ['nothing for a DLQ the previous run did not know (no baseline)', 'new', dlq('new', 9), NO_MOVES, 0],
  ])('counts %s', (_, name, now, moved, expected) => {
    // Act
    const { arrivals } = countArrivals(previous, [now], moved);

    // Assess
    expect(arrivals.get(`${ARN}${name}`)).toBe(expected);
  });

  it('counts nothing on the first run', () => {
    expect([...countArrivals(undefined, [dlq('grew', 100)], NO_MOVES).arrivals.values()]).toEqual([0]);
  });

  describe('a move recorded after the depth showed it (a native task\'s count lags SQS until the reconciler or a cancel writes it)', () => {
    it('counts it once: the fall the previous run could not explain absorbs it (48 → 46 while the record jumps by 4 at the cancel)', () => {
      // Prepare: 50 → 48 with nothing recorded yet, then 48 → 46 while the record catches up by 4
      const first = countArrivals(inventory([dlq('native', 50)]), [dlq('native', 48)], moves('native', 0));
      const atPrevious = inventory([dlq('native', 48)], first.unexplainedFalls);

      // Act
      const second = countArrivals(atPrevious, [dlq('native', 46)], moves('native', 4, false));

      // Assess
      expect(first.arrivals.get(`${ARN}native`)).toBe(0);
      expect(first.unexplainedFalls).toEqual({ [`${ARN}native`]: 2 });
      expect(second.arrivals.get(`${ARN}native`)).toBe(0);
    });

    it('still counts arrivals beyond the moves that explain earlier falls', () => {
      // Prepare: 2 moves the depth showed earlier, then 3 arrivals while 4 more are recorded (2 of them new)
      const previousRun = inventory([dlq('native', 48)], { [`${ARN}native`]: 2 });

      // Act
      const { arrivals, unexplainedFalls } = countArrivals(previousRun, [dlq('native', 49)], moves('native', 4));

      // Assess: 49 - 48 + (4 - 2)
      expect(arrivals.get(`${ARN}native`)).toBe(3);
      expect(unexplainedFalls).toEqual({});
    });

    it('never lets an unexplained fall hide a rise in depth: it only absorbs moves', () => {
      // Prepare: a consumer deleted 30 while a task ran; no move is recorded since
      const previousRun = inventory([dlq('busy', 10)], { [`${ARN}busy`]: 30 });

      // Act
      const { arrivals, unexplainedFalls } = countArrivals(previousRun, [dlq('busy', 15)], moves('busy', 0));

      // Assess
      expect(arrivals.get(`${ARN}busy`)).toBe(5);
      expect(unexplainedFalls).toEqual({ [`${ARN}busy`]: 30 });
    });

    it('keeps no fall while only tasks that record a move before deleting it run (the mover\'s): no later record can explain it', () => {
      // Prepare: 30 expire while a selective redrive runs and records nothing
      const selective = { movedOut: new Map([[`${ARN}busy`, 0]]), active: new Set([`${ARN}busy`]), recordedLate: new Set<string>() };

      // Act
      const { unexplainedFalls } = countArrivals(inventory([dlq('busy', 50)]), [dlq('busy', 20)], selective);

      // Assess
      expect(unexplainedFalls).toEqual({});
    });

    it('forgets a fall once no task of the DLQ is active: no later move can explain it', () => {
      // Act
      const { unexplainedFalls } = countArrivals(inventory([dlq('done', 50)]), [dlq('done', 40)], moves('done', 4, false));

      // Assess
      expect(unexplainedFalls).toEqual({});
    });
  });

  describe('messages going in flight and back (a peek, a dry run, the mover\'s held messages)', () => {
    it.each([
      ['SQS: visible excludes in-flight', dlq('sampled', 40, 60)],
      ['the local emulator: visible includes in-flight (EMULATORS.md)', dlq('sampled', 100, 60)],
    ])('counts none while 60 are in flight (%s), nor when they are visible again', (_, inFlight) => {
      // Act
      const during = countArrivals(inventory([dlq('sampled', 100)]), [inFlight], NO_MOVES);
      const after = countArrivals(inventory([inFlight]), [dlq('sampled', 100)], NO_MOVES);

      // Assess
      expect(during.arrivals.get(`${ARN}sampled`)).toBe(0);
      expect(after.arrivals.get(`${ARN}sampled`)).toBe(0);
    });

    it('counts arrivals that come while messages are in flight, where SQS counts them visible', () => {
      // Act: 5 arrive while the 60 of a dry run are back (visible again, in flight no more)
      const { arrivals } = countArrivals(inventory([dlq('sampled', 40, 60)]), [dlq('sampled', 105)], NO_MOVES);

      // Assess
      expect(arrivals.get(`${ARN}sampled`)).toBe(5);
    });
  });

  describe('a move recorded before the depth showed it (the mover counts a batch, then deletes it; SQS\'s depth can lag the delete)', () => {
    it('counts no arrival while the recorded batch is still in flight, nor when the depth then falls', () => {
      // Prepare: a batch of 10 in flight at the previous run and at this one; the mover recorded 10 meanwhile
      const ahead = countArrivals(inventory([dlq('selective', 80, 10)]), [dlq('selective', 80, 10)], moves('selective', 10));
      const atPrevious = inventory([dlq('selective', 80, 10)], ahead.unexplainedFalls, ahead.unconfirmedMoves);

      // Act: the depth shows the delete; the task ended
      const shown = countArrivals(atPrevious, [dlq('selective', 80, 0)], moves('selective', 0, false));

      // Assess
      expect([ahead.arrivals.get(`${ARN}selective`), shown.arrivals.get(`${ARN}selective`)]).toEqual([0, 0]);
      expect(ahead.unconfirmedMoves).toEqual({ [`${ARN}selective`]: 10 });
      expect([shown.unconfirmedMoves, shown.unexplainedFalls]).toEqual([{}, {}]);
    });

    it('counts what it held back once fewer are in flight than it holds and the depth did not fall: arrivals hid the moves', () => {
      // Prepare: 10 moves held back while 10 were in flight; 10 had arrived as the depth showed them
      const previousRun = inventory([dlq('selective', 90, 10)], undefined, { [`${ARN}selective`]: 10 });

      // Act: nothing in flight, the depth unchanged
      const { arrivals, unconfirmedMoves } = countArrivals(previousRun, [dlq('selective', 100, 0)], moves('selective', 0, false));

      // Assess
      expect(arrivals.get(`${ARN}selective`)).toBe(10);
      expect(unconfirmedMoves).toEqual({});
    });
  });
});
