import { ConfigError } from './config-error';
import { describeValue } from './describe-value';

/**
 * The `mover` key of a config file: the selective mover's function. The mover is CPU-bound (its CPU
 * goes to the AWS SDK's work per call), and Lambda gives CPU in proportion to memory (1,769 MB is one
 * vCPU), so memory is its throughput knob: docs/performance.md gives the messages per second of each size.
 */
export interface MoverConfig {
  /** MB, 128 to 10,240 (Lambda's range); @default 512 */
  readonly memorySize: number;
}

export const DEFAULT_MOVER_MEMORY_MB = 512;
/** Lambda's memory range, in 1-MB steps: https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html */
const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;
const MOVER_KEYS = ['memorySize'] as const;

export function parseMoverConfig(raw: unknown, at: (key: string) => string): MoverConfig {
  if (raw === undefined) return { memorySize: DEFAULT_MOVER_MEMORY_MB };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${at('mover')} must be an object, e.g. { "memorySize": 1769 }; got ${describeValue(raw)}`);
  const mover = raw as Record<string, unknown>;
  for (const key of Object.keys(mover)) {
    if (!(MOVER_KEYS as readonly string[]).includes(key)) throw new ConfigError(`${at(`mover.${key}`)} is not a known key; known keys: ${MOVER_KEYS.join(', ')}`);
  }
  const memorySize = mover.memorySize ?? DEFAULT_MOVER_MEMORY_MB;
  if (typeof memorySize !== 'number' || !Number.isInteger(memorySize) || memorySize < LAMBDA_MEMORY_MB.min || memorySize > LAMBDA_MEMORY_MB.max) {
    throw new ConfigError(
      `${at('mover.memorySize')} must be the mover's memory in MB, an integer from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max} (Lambda's range; 1769 is one vCPU); got ${describeValue(memorySize)}`,
    );
  }
  return { memorySize };
}
