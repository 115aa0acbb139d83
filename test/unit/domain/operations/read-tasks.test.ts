import { getTask, queryTasks } from '../../../../lambda/domain/operations/read-tasks';
import type { TaskStore } from '../../../../lambda/domain/ports';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';

describe('getTask', () => {
  it('answers the recorded task', async () => {
    // Prepare
    const deps = fakeDependencies();
    const record = recordedTask('managed-a', { taskId: 'task-1' });
    await deps.store.create(record);

    // Act / Assess
    await expect(getTask(deps, 'task-1')).resolves.toEqual(record);
  });

  it('refuses a malformed task id without reading the table, and names an unknown one', async () => {
    // Prepare
    const deps = fakeDependencies();
    const get = jest.spyOn(deps.store, 'get');

    // Act / Assess
    await expect(getTask(deps, 'no spaces/allowed')).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringMatching(/^taskId must be 1 to 128 letters/) });
    expect(get).not.toHaveBeenCalled();
    await expect(getTask(deps, 'task-404')).rejects.toMatchObject({ code: 'ResourceNotFoundException', message: 'No task task-404 is recorded' });
  });
});

describe('queryTasks', () => {
  it('asks the store with the request\'s filters, the queue by its ARN', async () => {
    // Prepare
    const deps = fakeDependencies();
    const query = jest.spyOn(deps.store as TaskStore, 'query').mockResolvedValue({ tasks: [], nextToken: 'next' });

    // Act
    const page = await queryTasks(deps, { sourceArn: parseQueueArn(queueArn('managed-a'), 'sourceArn'), status: 'RUNNING', limit: 5, nextToken: 'token' });
    await queryTasks(deps, { limit: 25 });

    // Assess
    expect(page).toEqual({ tasks: [], nextToken: 'next' });
    expect(query.mock.calls).toEqual([[{ sourceArn: queueArn('managed-a'), status: 'RUNNING', limit: 5, nextToken: 'token' }], [{ limit: 25 }]]);
  });
});
