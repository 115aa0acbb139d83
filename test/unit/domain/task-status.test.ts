import { canTransition, isActive, isFinal, type TaskStatus as Status,TaskStatus } from '../../../lambda/domain/task-status';

describe('task status', () => {
  it.each<[Status, Status, boolean]>([
    ['RUNNING', 'CANCELLING', true],
    ['RUNNING', 'COMPLETED', true],
    ['RUNNING', 'FAILED', true],
    ['RUNNING', 'CANCELLED', true],
    ['CANCELLING', 'CANCELLED', true],
    ['CANCELLING', 'RUNNING', true],
    ['CANCELLING', 'CANCELLING', false],
    ['CANCELLED', 'RUNNING', false],
    ['COMPLETED', 'CANCELLING', false],
    ['FAILED', 'RUNNING', false],
  ])('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('calls RUNNING and CANCELLING active and the rest final', () => {
    expect(Object.values(TaskStatus).filter(isActive)).toEqual(['RUNNING', 'CANCELLING']);
    expect(Object.values(TaskStatus).filter(isFinal)).toEqual(['CANCELLED', 'COMPLETED', 'FAILED']);
  });
});
