import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readConfigFile } from '../../../../local/template/local-config';
import { synthesisCacheFiles, synthesizeTemplate } from '../../../../local/template/synthesize';

describe('synthesizeTemplate', () => {
  it("waits while another process holds the lock and takes its result instead of synthesizing again (jest's parallel workers)", async () => {
    // Prepare: another worker is synthesizing this config
    const cacheDir = mkdtempSync(join(tmpdir(), 'synth-cache-'));
    const config = readConfigFile();
    const { file, lock } = synthesisCacheFiles(config, 'local', cacheDir);
    writeFileSync(lock, String(process.pid));
    const waiting = synthesizeTemplate(config, 'local', cacheDir);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Act: the other worker finishes
    writeFileSync(file, JSON.stringify({ stackName: 'written-by-the-other-worker', template: { Resources: {} } }));
    rmSync(lock);
    const result = await waiting;

    // Assess
    expect(result).toEqual({ stackName: 'written-by-the-other-worker', template: { Resources: {} }, cached: true });
  });
});
