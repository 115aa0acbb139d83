// npm start's log sink: the functions' JSON lines (one every few seconds from the schedules) go to a file,
// so the banner and the demo's commands stay on screen; `--verbose` streams them to the terminal as well.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where `npm start` keeps the functions' logs, relative to the directory it runs in (the repository). */
export const FUNCTION_LOG_FILE = '.local/logs/functions.log';

export interface FunctionLog {
  /** receives every line a function or the local stack logs */
  readonly onLog: (line: string) => void;
  /** the file the lines go to */
  readonly file: string;
  close(): Promise<void>;
}

/** A line worth a person's attention at once: a function's ERROR, or the local stack's own words (a denial, a failed delivery). */
export function isAlarming(line: string): boolean {
  if (!line.startsWith('{')) return line.trim().length > 0;
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return level === 'ERROR' || level === 'CRITICAL';
  } catch {
    return true;
  }
}

/**
 * Every line to `file` (emptied at each start); with `verbose`, every line to stdout too; without, only
 * alarming lines, to stderr, the first followed by where the rest is.
 */
export function openFunctionLog(options: { verbose: boolean; file?: string; stdout?: (text: string) => void; stderr?: (text: string) => void }): FunctionLog {
  const file = options.file ?? FUNCTION_LOG_FILE;
  mkdirSync(dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'w' });
  const stdout = options.stdout ?? ((text: string) => process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => process.stderr.write(text));
  let told = false;
  return {
    file,
    onLog: (line) => {
      stream.write(`${line}\n`);
      if (options.verbose) {
        stdout(`${line}\n`);
      } else if (isAlarming(line)) {
        stderr(`${line}\n${told ? '' : `  (this and every other line of the functions is in ${file})\n`}`);
        told = true;
      }
    },
    close: () => new Promise<void>((done) => stream.end(() => done())),
  };
}
