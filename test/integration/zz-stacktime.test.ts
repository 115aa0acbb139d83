import { startTestStack } from '../support/local-stack-fixture';
it('times', async () => {
  for (let i = 0; i < 3; i++) {
    const s = Date.now();
    const t = await startTestStack();
    const up = Date.now() - s;
    const s2 = Date.now();
    await t.stop();
    console.log('up', up, 'stop', Date.now() - s2, JSON.stringify(t.stack.synthesis));
  }
}, 120000);
