import type { LocalWorld } from './world-file';

/**
 * What a replay of the world's dead letters may deliver to (API.md section 11): the world's functions
 * (a dead letter of theirs, or of a rule target that is one, names them) and the queues its rules
 * target (an EventBridge dead letter's TARGET_ARN). As a deployment lists its application's functions
 * and queues in `replayTargets`, so the mover's role is granted exactly these and no other function
 * (not the controller's own).
 */
export function worldReplayTargets(world: LocalWorld, accountId: string, region: string): string[] {
  const functions = world.functions.map((fn) => `arn:aws:lambda:${region}:${accountId}:function:${fn.name}`);
  const queues = world.rules.flatMap((rule) => rule.targets.flatMap((target) => (target.queue ? [`arn:aws:sqs:${region}:${accountId}:${target.queue}`] : [])));
  return [...new Set([...functions, ...queues])];
}

/**
 * The configuration with the world's replay targets added to its own `replayTargets` before it is
 * synthesized: `npm start` with LOCAL_WORLD (and `-- --demo`) replays to the world under enforcement.
 */
export function withWorldReplayTargets(config: Readonly<Record<string, unknown>>, world: LocalWorld | undefined, accountId: string, region: string): Readonly<Record<string, unknown>> {
  if (!world) return config;
  const own = Array.isArray(config.replayTargets) ? (config.replayTargets as unknown[]) : [];
  const added = worldReplayTargets(world, accountId, region).filter((arn) => !own.includes(arn));
  if (added.length === 0) return config;
  return { ...config, replayTargets: [...own, ...added] };
}
