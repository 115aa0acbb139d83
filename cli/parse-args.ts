/** argv → positionals and `--name value` / `--flag` options; `--name=value` works too. */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Record<string, string | true>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], flags: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let at = 0; at < argv.length; at += 1) {
    const arg = argv[at]!;
    if (arg === '--') {
      positionals.push(...argv.slice(at + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = splitOnce(arg.slice(2));
    if (flags.includes(name)) {
      options[name] = true;
    } else if (inline !== undefined) {
      options[name] = inline;
    } else {
      const value = argv[at + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      options[name] = value;
      at += 1;
    }
  }
  return { positionals, options };
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

export function integerOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

// a date (midnight UTC), or a date and time with its zone: a time without one would be read in the machine's zone
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A point in time as the API takes it (epoch milliseconds), given as such or as an ISO-8601 date or time with its zone. */
export function timeOption(args: ParsedArgs, name: string): number | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  const refuse = () => new UsageError(`--${name} must be epoch milliseconds or an ISO-8601 date or time with its zone (2026-12-07, 2026-12-07T12:00:00Z), got "${value}"`);
  if (/^\d{1,16}$/.test(value)) {
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw refuse();
    return number;
  }
  const match = ISO_TIME.exec(value);
  if (!match) throw refuse();
  // Date.parse rolls 2026-02-31 over into March: the day must exist in its month
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const at = Date.parse(value);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || Number.isNaN(at) || at < 0) throw refuse();
  return at;
}

/** Options a command does not know are mistakes, not silently ignored. */
export function rejectUnknown(args: ParsedArgs, known: readonly string[]): void {
  for (const name of Object.keys(args.options)) {
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
  }
}
