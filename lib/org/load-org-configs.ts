import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { ConfigError } from '../config/config-error';
import { parseJsonFile } from '../config/load-configs';
import { type OrgConfig, parseOrgConfig } from './org-config';

/** Every `config/org/*.json`, validated; none when the folder does not exist. */
export function loadOrgConfigs(directory: string): OrgConfig[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => parseOrgConfig(parseJsonFile(readFileSync(join(directory, file), 'utf8'), `config/org/${file}`), basename(file, '.json')));
}

/**
 * Which org stacks to synthesize: `-c org=<name>` that one; `-c account=all` (npm run synth) every
 * one; otherwise none, so deploying an account never touches the org stack.
 */
export function selectOrgConfigs(configs: readonly OrgConfig[], selection: { readonly org?: string; readonly all: boolean }): OrgConfig[] {
  if (selection.org) {
    const chosen = configs.filter((config) => config.name === selection.org);
    if (chosen.length === 0) throw new ConfigError(`-c org=${selection.org} matches no config/org/<name>.json; known: ${configs.map((config) => config.name).join(', ') || 'none'}`);
    return chosen;
  }
  return selection.all ? [...configs] : [];
}
