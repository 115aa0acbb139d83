// Ids of the task table's other items (the DLQ inventory, held batches) used as task ids, on the local stack.
import { startTestStack, type TestStack } from '../support/local-stack-fixture';

describe('task ids that name no task', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers GET /tasks/dlq-inventory and a cancel of that task id with ResourceNotFoundException, not 500', async () => {
    // Prepare: the inventory has run once, so its pointer item is in the task table
    await t.stack.refreshInventory();
    const managed = (await t.seedDlq(1, 'inv-id')).dlqArn;
    // Act
    const read = await t.get('/tasks/dlq-inventory');
    const cancel = await t.post('/CancelMessageMoveTask', { TaskHandle: Buffer.from(JSON.stringify({ taskId: 'dlq-inventory', sourceArn: managed })).toString('base64') });
    // Assess: caller input never makes a 500
    expect({ read: read.status, readType: read.body.__type, cancel: cancel.status, cancelType: cancel.body.__type }).toEqual({
      read: 400, readType: 'com.amazonaws.sqs#ResourceNotFoundException', cancel: 400, cancelType: 'com.amazonaws.sqs#ResourceNotFoundException',
    });
  });
});
