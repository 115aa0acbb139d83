import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isAlarming, openFunctionLog } from '../../../local/function-log';

describe('openFunctionLog', () => {
  const info = JSON.stringify({ level: 'INFO', message: 'inventory' });
  const error = JSON.stringify({ level: 'ERROR', message: 'reconcile failed' });
  const denial = 'local IAM: sqs:ReceiveMessage denied for role/reconciler';

  it('keeps every line in the file and shows only the alarming ones, telling once where the rest is', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'function-log-')), 'logs', 'functions.log');
    const shown: string[] = [];
    const log = openFunctionLog({ verbose: false, file, stdout: (text) => shown.push(`out:${text}`), stderr: (text) => shown.push(`err:${text}`) });

    // Act
    for (const line of [info, error, info, denial]) log.onLog(line);
    await log.close();

    // Assess
    expect(readFileSync(file, 'utf8')).toBe(`${info}\n${error}\n${info}\n${denial}\n`);
    expect(shown).toEqual([`err:${error}\n  (this and every other line of the functions is in ${file})\n`, `err:${denial}\n`]);
  });

  it('streams every line to stdout with verbose', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'function-log-')), 'functions.log');
    const shown: string[] = [];
    const log = openFunctionLog({ verbose: true, file, stdout: (text) => shown.push(text), stderr: (text) => shown.push(`err:${text}`) });

    // Act
    log.onLog(info);
    log.onLog(error);
    await log.close();

    // Assess
    expect(shown).toEqual([`${info}\n`, `${error}\n`]);
  });

  it.each([
    [info, false],
    [JSON.stringify({ level: 'WARN', message: 'slow' }), false],
    [error, true],
    [denial, true],
    ['', false],
  ])('isAlarming(%s) is %s', (line, alarming) => {
    expect(isAlarming(line)).toBe(alarming);
  });
});
