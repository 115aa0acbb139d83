import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import type { CfnTemplate } from './local-names';

const ROOT = resolve(__dirname, '..', '..');
/** The cache of synthesized templates: one file per config and source state. */
export const SYNTH_CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'redrive-local-synth');
/**
 * What the template depends on besides the config: the CDK app (lib/), the code it imports from
 * lambda/ (environment names, event patterns, queue patterns, recovery policies), this file and the
 * locked package versions (aws-cdk-lib). The bundles are not: synth here does not bundle (below).
 */
const SOURCES = ['lib', 'lambda/config', 'lambda/domain', 'local/template/synthesize.ts', 'package-lock.json'];
/** a lock older than this was left by a process that died while synthesizing */
const STALE_LOCK_MS = 120_000;

export interface SynthesizedTemplate {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** true when it came from the cache */
  readonly cached: boolean;
}

/**
 * The account stack for `config` (raw JSON in the deployment's format), as `cdk synth` builds it,
 * synthesized in this process. Cached by a hash of the config and the sources: a second start
 * reads a file. Safe for concurrent first use (jest's parallel workers): one process synthesizes
 * under a lock file, the others wait for its result.
 */
export async function synthesizeTemplate(config: Readonly<Record<string, unknown>>, name = 'local', cacheDir = SYNTH_CACHE_DIR): Promise<SynthesizedTemplate> {
  const { file, lock } = synthesisCacheFiles(config, name, cacheDir);
  await mkdir(cacheDir, { recursive: true });
  const deadline = Date.now() + 3 * STALE_LOCK_MS;
  for (;;) {
    const cached = await readCached(file);
    if (cached) return { ...cached, cached: true };
    const held = await open(lock, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw error;
    });
    if (held) {
      try {
        const again = await readCached(file);
        if (again) return { ...again, cached: true };
        // written whole, then renamed: a reader never sees half a file
        const partial = `${file}.${process.pid}.tmp`;
        const synthesized = await synthesizeNow(config, name);
        await writeFile(partial, JSON.stringify(synthesized));
        await rename(partial, file);
        return { ...synthesized, cached: false };
      } finally {
        await held.close();
        await unlink(lock).catch(() => undefined);
      }
    }
    const age = await stat(lock).then((info) => Date.now() - info.mtimeMs, () => 0);
    if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
    if (Date.now() > deadline) throw new Error(`gave up waiting for another process to synthesize ${file} (lock ${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Where the synthesis of `config` is cached, and the lock its synthesizing process holds. */
export function synthesisCacheFiles(config: Readonly<Record<string, unknown>>, name = 'local', cacheDir = SYNTH_CACHE_DIR): { file: string; lock: string } {
  const key = createHash('sha256').update(JSON.stringify({ name, config })).update(sourcesHash()).digest('hex').slice(0, 32);
  return { file: join(cacheDir, `${key}.json`), lock: join(cacheDir, `${key}.lock`) };
}

async function readCached(file: string): Promise<{ stackName: string; template: CfnTemplate } | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as { stackName: string; template: CfnTemplate });
}

/**
 * `new App()`, the stack, `app.synth()`: aws-cdk-lib is loaded only here, so a cached start never
 * loads it. The functions' assets are not bundled (as the CDK tests synthesize): the local stack
 * runs `npm run build`'s bundles, which are built from the same entries with the same settings.
 */
async function synthesizeNow(raw: Readonly<Record<string, unknown>>, name: string): Promise<{ stackName: string; template: CfnTemplate }> {
  const [{ App }, { parseControllerConfig }, { RedriveControllerStack }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../../lib/config/controller-config'),
    import('../../lib/redrive-controller-stack'),
  ]);
  const config = parseControllerConfig(raw, name);
  const outdir = mkdtempSync(join(tmpdir(), 'redrive-local-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true } });
    const stack = new RedriveControllerStack(app, `RedriveController-${name}`, { config });
    const template = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
    return { stackName: stack.stackName, template };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A hash of every source file the template depends on (paths and contents). */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const child of readdirSync(path).sort()) visit(join(path, child));
    } else if (/\.(ts|json|mjs)$/.test(path)) {
      hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  for (const source of SOURCES) visit(join(ROOT, source));
  return hash.digest('hex');
}

