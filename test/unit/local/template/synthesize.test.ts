import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

import { readConfigFile } from '../../../../local/template/local-config';
import { synthesisCacheFiles, synthesisSources, synthesizeTemplate } from '../../../../local/template/synthesize';

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

const ROOT = resolve(__dirname, '..', '..', '..', '..');

/** every file a module under lib/ imports, directly or through other imports, relative to the root */
function importedByLib(): Set<string> {
  const found = new Set<string>();
  const visit = (file: string) => {
    const name = relative(ROOT, file);
    if (found.has(name)) return;
    found.add(name);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import\(|require\()\s*'(\.[^']+)'/g)) {
      const base = resolve(dirname(file), specifier!);
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
      if (!target) throw new Error(`${name} imports ${specifier}, which resolves to no file`);
      visit(target);
    }
  };
  const walk = (dir: string) => {
    for (const child of readdirSync(dir)) {
      const path = join(dir, child);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) visit(path);
    }
  };
  walk(join(ROOT, 'lib'));
  return found;
}

describe('synthesisSources', () => {
  it('covers every file lib/ imports, however deep in lambda/ (a changed table schema is a new template)', () => {
    // Act
    const sources = new Set(synthesisSources());
    const imported = [...importedByLib()];

    // Assess
    expect(imported).toContain('lambda/adapters/dynamodb/task-table-schema.ts');
    expect(imported.filter((file) => !sources.has(file))).toEqual([]);
  });
});
