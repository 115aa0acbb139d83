import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parseWorld, readWorldFile, WorldFileError } from '../../../../local/world/world-file';

const BASE = resolve(__dirname, '../../../fixtures/world');
const fn = (extra: object = {}) => ({ name: 'orders', handler: 'fails.mjs', ...extra });
const rule = (extra: object = {}) => ({ name: 'placed', eventPattern: { source: ['shop'] }, targets: [{ id: 'a', queue: 'audit' }], ...extra });

describe('parseWorld', () => {
  it('reads a world with the defaults Lambda and EventBridge apply, handler paths against the file', () => {
    // Act
    const world = parseWorld({ functions: [fn({ onFailure: 'orders-failures' })], rules: [rule({ targets: [{ id: 'f', function: 'orders', deadLetterQueue: 'f-dlq' }, { id: 'q', queue: 'audit', maximumRetryAttempts: 0 }] })] }, BASE);

    // Assess
    expect(world.functions).toEqual([{ name: 'orders', handler: join(BASE, 'fails.mjs'), onFailure: 'orders-failures', maximumRetryAttempts: 2 }]);
    expect(world.rules).toEqual([
      { name: 'placed', eventBusName: 'default', eventPattern: { source: ['shop'] }, targets: [{ id: 'f', function: 'orders', deadLetterQueue: 'f-dlq', maximumRetryAttempts: 185 }, { id: 'q', queue: 'audit', maximumRetryAttempts: 0 }] },
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ['a root that is no object', [], /the world must be a JSON object/],
    ['an unknown field, named with the allowed ones', { functions: [fn({ retries: 1 })] }, /functions\[0\]: unknown field "retries"; allowed: name, handler/],
    ['a function name Lambda refuses', { functions: [fn({ name: 'bad name' })] }, /functions\[0\]\.name must be 1 to 64 letters/],
    ['a handler file that is not there', { functions: [fn({ handler: 'missing.mjs' })] }, /functions\[0\]\.handler: no file missing\.mjs/],
    ['maximumRetryAttempts above 2', { functions: [fn({ maximumRetryAttempts: 3 })] }, /functions\[0\]\.maximumRetryAttempts must be an integer from 0 to 2; got 3/],
    ['a queue name SQS refuses', { functions: [fn({ deadLetterQueue: 'no/slash' })] }, /functions\[0\]\.deadLetterQueue must be a queue name/],
    ['two functions of one name', { functions: [fn(), fn()] }, /duplicate function name: orders/],
    ['a target with both a function and a queue', { functions: [fn()], rules: [rule({ targets: [{ id: 'a', function: 'orders', queue: 'q' }] })] }, /rules\[0\]\.targets\[0\]: exactly one of "function"/],
    ['a target naming no world function', { rules: [rule({ targets: [{ id: 'a', function: 'nobody' }] })] }, /rules\[0\]\.targets\[0\]\.function: no world function is named nobody/],
    ['a target retry count above 185', { rules: [rule({ targets: [{ id: 'a', queue: 'q', maximumRetryAttempts: 186 }] })] }, /from 0 to 185; got 186/],
    ['a rule without targets', { rules: [rule({ targets: [] })] }, /rules\[0\]\.targets: 1 to 5 targets/],
    ['six targets', { rules: [rule({ targets: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, queue: 'q' })) })] }, /1 to 5 targets, as EventBridge allows; got 6/],
    ['an event pattern EventBridge refuses', { rules: [rule({ eventPattern: { source: 'shop' } })] }, /rules\[0\]\.eventPattern: /],
    ['two targets of one id', { rules: [rule({ targets: [{ id: 'a', queue: 'q' }, { id: 'a', queue: 'r' }] })] }, /duplicate target id in rules\[0\]: a/],
  ])('fails on %s', (_case, json, message) => {
    expect(() => parseWorld(json, BASE)).toThrow(WorldFileError);
    expect(() => parseWorld(json, BASE)).toThrow(message);
  });
});

describe('readWorldFile', () => {
  it('fails on a file that is no JSON, naming the file', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'world-')), 'world.json');
    writeFileSync(file, '{ nope');

    // Act / Assess
    expect(() => readWorldFile(file)).toThrow(new RegExp(`LOCAL_WORLD: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON`));
  });

  it('reads the demo world', () => {
    expect(readWorldFile(resolve(__dirname, '../../../../config/local/world/demo-world.json')).rules[0]!.targets.map((target) => target.id)).toEqual(['billing', 'shipping']);
  });
});
