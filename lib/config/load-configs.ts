import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { ConfigError, type ControllerConfig,parseControllerConfig } from './controller-config';

/** Every `config/*.json`, validated: one bad file fails synth, naming the file and key. */
export function loadConfigs(directory: string): ControllerConfig[] {
  const files = readdirSync(directory).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) throw new ConfigError(`${directory} holds no <name>.json config; copy config/example.json`);
  return files.map((file) => {
    const name = basename(file, '.json');
    return parseControllerConfig(parseJsonFile(readFileSync(join(directory, file), 'utf8'), `config/${file}`), name);
  });
}

/** JSON.parse, its syntax errors told as `file:line:column` (Node.js 20 gives only a character position). */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const at = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    if (at === undefined) throw new ConfigError(`${file} is not valid JSON: ${message}`);
    const before = text.slice(0, at).split('\n');
    const line = before.length;
    const column = before[before.length - 1]!.length + 1;
    const reason = message.replace(/\s*(?:in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new ConfigError(`${file}:${line}:${column} is not valid JSON: ${reason} (line ${line}, column ${column})`);
  }
}

export interface ConfigSelection {
  /** `-c account=NAME`: a config's name or its 12-digit account id */
  readonly account?: string;
  /** the account of the CLI's credentials, when it has any (CDK_DEFAULT_ACCOUNT) */
  readonly defaultAccount?: string;
}

/** `-c account=all`: every config, the example too (what `npm run synth` checks). */
export const ALL_CONFIGS = 'all';
/** config/example.json: a template to copy, never deployed unless named. */
export const EXAMPLE_CONFIG = 'example';

/**
 * Which configs to synthesize: the one named by `-c account=` (`all` for every one), else those of
 * the credentials' account, else every config but the example. Without credentials (offline) and no
 * other config, the example alone, so a fresh checkout still synthesizes.
 */
export function selectConfigs(configs: readonly ControllerConfig[], selection: ConfigSelection): ControllerConfig[] {
  if (selection.account === ALL_CONFIGS) return [...configs];
  if (selection.account) {
    const chosen = configs.filter((config) => config.name === selection.account || config.account === selection.account);
    if (chosen.length === 0) {
      throw new ConfigError(`-c account=${selection.account} matches no config; known: ${configs.map((config) => `${config.name} (${config.account})`).join(', ')}`);
    }
    return chosen;
  }
  const mine = configs.filter((config) => config.account === selection.defaultAccount);
  if (mine.length > 0) return mine;
  const real = configs.filter((config) => config.name !== EXAMPLE_CONFIG);
  if (real.length > 0) return real;
  if (selection.defaultAccount === undefined) return [...configs];
  throw new ConfigError(
    `no config is for account ${selection.defaultAccount} (your credentials'); config/${EXAMPLE_CONFIG}.json is a template and is used only when named: ` +
      `copy it to config/<name>.json with your account, or check it with -c account=${EXAMPLE_CONFIG}`,
  );
}
