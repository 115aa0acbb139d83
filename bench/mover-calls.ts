// `npx tsx bench/mover-calls.ts [messages] [runs]` (after npm run build): only the counted part of the mover's bench
// rows: SQS and DynamoDB calls per moved message, by action, on a stack with recording proxies; calls are
// exact whatever the machine's load, so this is how a change to the mover's calls is checked quickly.
import { moveOnce, recordedStack } from './mover-throughput';

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const messages = Number(process.argv[2] ?? 2000);
  const runs = Number(process.argv[3] ?? 1);
  const t = await recordedStack();
  try {
    for (let run = 0; run < runs; run += 1) {
      const all = await moveOnce(t, messages, 1);
      const by = (counts: Record<string, number>) => Object.entries(counts).sort(([, a], [, b]) => b - a).map(([action, n]) => `${action} ${n}`).join(', ');
      console.log(`${all.moved} moved, ${all.perSecond.toFixed(0)} msg/s: SQS ${(all.sqsCalls! / all.moved).toFixed(3)} a message (${by(all.sqsCallsByAction!)}); DynamoDB ${((all.dynamoDbCalls! / all.moved) * 10).toFixed(3)} per 10 moved (${by(all.dynamoDbCallsByAction!)})`);
    }
  } finally {
    await t.stop();
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
