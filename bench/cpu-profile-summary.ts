// `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top] [--by-file]`: where a function's CPU went, by package (or file).
// A V8 profile of a bundled function names one file (index.mjs); its source map gives each sample's
// original file, so the self time is summed per npm package (`@smithy/core`), per project folder
// (`lambda/domain`), per Node.js internal module (`node:internal/http`), and V8's own (GC, program).
// Profiles come from `BENCH_MOVER_CPU_PROF=<dir> npm run bench -- mover` (docs/performance.md).
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    try {
      maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
    } catch {
      maps.set(url, undefined);
    }
  }
  return maps.get(url);
}

/** The package, project folder or runtime part a frame's code belongs to; `byFile`: its original file. */
export function ownerOf(frame: ProfileNode['callFrame'], byFile = false): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(V8 builtins)';
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).split('/').slice(0, 2).join('/')}`;
  const map = frame.url.startsWith('file:') ? sourceMapOf(frame.url) : undefined;
  const source = map?.findEntry(frame.lineNumber, frame.columnNumber);
  const path = source && 'originalSource' in source ? source.originalSource : frame.url;
  if (byFile) return path.replace(/^.*node_modules\//, '').replace(/^.*\/(lambda\/)/, '$1');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules) return inModules[1]!;
  const project = /\/(lambda\/[^/]+)\//.exec(path);
  return project ? project[1]! : path;
}

/**
 * Self time by owner. A V8 builtin (JSON.parse, a RegExp, a Promise step: no script of its own) counts
 * for the nearest caller that has one, so a package's share includes the builtins it calls.
 */
export function summarise(profile: Profile, byFile = false): Array<{ owner: string; ms: number; share: number }> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const chargedTo = (node: ProfileNode): ProfileNode => {
    let at: ProfileNode | undefined = node;
    while (at && !at.callFrame.url && !at.callFrame.functionName.startsWith('(')) at = parentOf.get(at.id);
    return at ?? node;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const owner = ownerOf(chargedTo(byId.get(id)!).callFrame, byFile);
    ms.set(owner, (ms.get(owner) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  ms.delete('(idle)');
  const total = [...ms.values()].reduce((sum, value) => sum + value, 0);
  return [...ms.entries()].map(([owner, value]) => ({ owner, ms: value, share: value / total })).sort((a, b) => b.ms - a.ms);
}

if (require.main === module) {
  const byFile = process.argv.includes('--by-file');
  const [file, top = '25'] = process.argv.slice(2).filter((arg) => arg !== '--by-file');
  if (!file) throw new Error('usage: npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top] [--by-file]');
  const rows = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, byFile);
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  console.log(`busy ${total.toFixed(0)} ms (idle left out)`);
  for (const row of rows.slice(0, Number(top))) console.log(`${(row.share * 100).toFixed(1).padStart(5)} %  ${row.ms.toFixed(0).padStart(6)} ms  ${row.owner}`);
}
