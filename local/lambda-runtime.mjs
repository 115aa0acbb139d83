// A minimal Lambda runtime for the local stack: a child process that imports one bundled handler
// (the same artifact the stack deploys) and answers invocations sent over IPC.
import { pathToFileURL } from 'node:url';

const [bundle, handlerName = 'handler'] = process.argv.slice(2);
const module = await import(pathToFileURL(bundle).href);
const handler = module[handlerName];
if (typeof handler !== 'function') throw new Error(`${bundle} exports no function ${handlerName}`);

process.on('message', async ({ id, event, cpuUsage, requestId }) => {
  // the benchmark's reading of this process's CPU time (user + system, all threads), in microseconds
  if (cpuUsage) {
    process.send({ id, result: process.cpuUsage() });
    return;
  }
  const deadline = Date.now() + 30_000;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
  // the fields Powertools' logger.addContext reads, as Lambda's context has them
  const context = {
    awsRequestId: requestId ?? id,
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${functionName}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    process.send({ id, result: await handler(event, context) });
  } catch (error) {
    process.send({ id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
});
// a stop (SIGTERM) exits normally, so that a --cpu-prof in NODE_OPTIONS writes its profile
process.on('SIGTERM', () => process.exit(0));
process.send({ ready: true });
