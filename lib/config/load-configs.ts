import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { ConfigError, type ControllerConfig,parseControllerConfig } from './controller-config';

/** Every `config/*.json`, validated: one bad file fails synth, naming the file and key. */
export function loadConfigs(directory: string): ControllerConfig[] {
  const files = readdirSync(directory).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) throw new ConfigError(`${directory} holds no <name>.json config; copy config/example.json`);
  return files.map((file) => {
    const name = basename(file, '.json');
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(directory, file), 'utf8'));
    } catch (error) {
      throw new ConfigError(`config/${file} is not valid JSON: ${(error as Error).message}`);
    }
    return parseControllerConfig(raw, name);
  });
}

export interface ConfigSelection {
  /** `-c account=NAME`: a config's name or its 12-digit account id */
  readonly account?: string;
  /** the account of the CLI's credentials, when it has any (CDK_DEFAULT_ACCOUNT) */
  readonly defaultAccount?: string;
}

/**
 * Which configs to synthesize: the one named by `-c account=`, else those of the credentials'
 * account, else all of them (offline `npm run synth`).
 */
export function selectConfigs(configs: readonly ControllerConfig[], selection: ConfigSelection): ControllerConfig[] {
  if (selection.account) {
    const chosen = configs.filter((config) => config.name === selection.account || config.account === selection.account);
    if (chosen.length === 0) {
      throw new ConfigError(`-c account=${selection.account} matches no config; known: ${configs.map((config) => `${config.name} (${config.account})`).join(', ')}`);
    }
    return chosen;
  }
  const mine = configs.filter((config) => config.account === selection.defaultAccount);
  return mine.length > 0 ? mine : [...configs];
}
