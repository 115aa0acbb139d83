import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ConfigError, parseControllerConfig } from '../../lib/config/controller-config';
import { parseJsonFile } from '../../lib/config/load-configs';

/**
 * The committed local configuration (API.md section 10): every queue of 123456789012 in us-east-1.
 * It lives in config/local/, where `cdk deploy`'s discovery (config/*.json) does not find it.
 */
export const LOCAL_CONFIG_FILE = resolve(__dirname, '..', '..', 'config', 'local', 'local.json');

/** The environment variables that override the configuration's principal lists (comma-separated ARNs, a trailing `*` allowed). */
export const CONFIG_OVERRIDES = {
  ALLOWED_PRINCIPALS: ['api', 'allowedPrincipals'],
  MESSAGE_READERS: ['api', 'messageReaders'],
  EVENT_SENDERS: ['events', 'allowedSenders'],
} as const;

/** A configuration file in the deployment's format, as raw JSON (the validator runs on it before anything starts). */
export function readConfigFile(file: string = LOCAL_CONFIG_FILE): Record<string, unknown> {
  const raw = parseJsonFile(readFileSync(file, 'utf8'), file === LOCAL_CONFIG_FILE ? 'config/local/local.json' : file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file} must hold a JSON object`);
  return raw as Record<string, unknown>;
}

/**
 * The configuration with ALLOWED_PRINCIPALS, MESSAGE_READERS and EVENT_SENDERS applied over it,
 * validated as `cdk synth` validates it (a bad ARN fails here, naming the variable's key).
 */
export function withEnvironmentOverrides(config: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(config) as Record<string, unknown>;
  for (const [variable, [section, key]] of Object.entries(CONFIG_OVERRIDES)) {
    const value = env[variable];
    if (value === undefined) continue;
    const arns = value.split(',').map((arn) => arn.trim()).filter(Boolean);
    const part = (result[section] ??= {}) as Record<string, unknown>;
    part[key] = arns;
  }
  // archiveBeforeExpiry (API.md section 12): the reconciler's window, in seconds, as the configuration's key
  const expiry = env.ARCHIVE_BEFORE_EXPIRY_SECONDS?.trim();
  if (expiry) result.archiveBeforeExpiry = /^\d+$/.test(expiry) ? Number(expiry) : expiry;
  const applied = [...Object.keys(CONFIG_OVERRIDES), ...(expiry ? ['ARCHIVE_BEFORE_EXPIRY_SECONDS'] : [])].filter((variable) => env[variable] !== undefined);
  try {
    parseControllerConfig(result, 'local');
  } catch (error) {
    if (error instanceof ConfigError && applied.length > 0) throw new ConfigError(`${error.message} (with ${applied.join(', ')} applied over the configuration)`);
    throw error;
  }
  return result;
}

/** The configuration for another account (the local org's member stacks): every ARN of the local account moves with it. */
export function forAccount(config: Readonly<Record<string, unknown>>, accountId: string): Record<string, unknown> {
  const from = config.account;
  if (typeof from !== 'string' || from === accountId) return { ...config };
  return JSON.parse(JSON.stringify(config).split(from).join(accountId)) as Record<string, unknown>;
}
