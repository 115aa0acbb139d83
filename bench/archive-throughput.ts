// The archive (API.md section 12) on the local stack: messages archived per second by one archive task
// with Delete (start request to COMPLETED), beside the selective mover moving as many (the same loop,
// an SQS destination), and the bytes each message takes in the bucket (gzip'd JSON lines) beside its
// JSON line. Alone: `npm run bench -- archive`.
import { randomUUID } from 'node:crypto';

import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

import { parseTaskHandle } from '../lambda/domain/task-handle';
import { LOCAL_CREDENTIALS } from '../local/local-stack';
import { seedDlq } from '../local/seed-dlq';
import { directStack, moveOnce, postJson } from './mover-throughput';
import { ratio, type Report } from './report';

/** One archive task with Delete over `messages` messages: msg/s, and the stored bytes of its objects. */
async function archiveOnce(t: Awaited<ReturnType<typeof directStack>>, messages: number): Promise<{ perSecond: number; storedBytes: number; lineBytes: number }> {
  const name = `bench-archive-${randomUUID().slice(0, 6)}`;
  const dlq = await seedDlq(t.sqs, name, messages, (index) => JSON.stringify({ orderId: `o-${index}`, tenant: index % 2 ? 'a' : 'b', status: 'declined', amount: index * 7 }));
  const started = performance.now();
  const answer = await postJson(t.stack.apiUrl, `/dlqs/${dlq.dlqArn.split(':').pop()}/archive`, { Delete: true, Reason: 'bench' });
  if (answer.status !== 200) throw new Error(`archive refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const { taskId } = parseTaskHandle((answer.body as { TaskHandle: string }).TaskHandle);
  let status = '';
  for (const deadline = Date.now() + 600_000; Date.now() < deadline && !['COMPLETED', 'CANCELLED', 'FAILED'].includes(status); ) {
    const item = (await t.dynamoDb.send(new GetItemCommand({ TableName: t.stack.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }))).Item;
    status = item?.status?.S ?? '';
    if (status !== 'COMPLETED') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  if (status !== 'COMPLETED') throw new Error(`archive task ${taskId} ended ${status || 'never'}`);
  // the bucket as S3 has it: every object of the task, by size
  const s3 = new S3Client({ endpoint: t.stack.s3Url, region: t.stack.region, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  let storedBytes = 0;
  let objects = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: t.stack.archiveBucket, Prefix: `${dlq.dlqArn.split(':').pop()}/`, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) {
      if (!object.Key?.includes(taskId)) continue;
      storedBytes += object.Size ?? 0;
      objects += 1;
    }
    token = page.NextContinuationToken;
  } while (token);
  const archived = (await (await fetch(`${t.stack.apiUrl}/archives/${taskId}/messages?limit=1000`)).json()) as { Messages: unknown[] };
  const lineBytes = archived.Messages.reduce<number>((sum, line) => sum + Buffer.byteLength(`${JSON.stringify(line)}\n`), 0) / Math.max(1, archived.Messages.length);
  if (objects === 0) throw new Error(`archive task ${taskId} stored no object`);
  return { perSecond: messages / seconds, storedBytes: storedBytes / messages, lineBytes };
}

export async function measureArchiveThroughput(report: Report, messages: number): Promise<void> {
  const section = 'archive';
  const t = await directStack();
  try {
    const archive = await archiveOnce(t, messages);
    const move = await moveOnce(t, messages, 1);
    report.info(section, `archive with Delete, ${messages} messages: messages/s, start request to COMPLETED`, archive.perSecond.toFixed(0));
    report.info(section, `selective mover, the same ${messages} messages to a queue: messages/s`, move.perSecond.toFixed(0));
    report.info(section, 'archive / selective mover', ratio(archive.perSecond / move.perSecond));
    report.info(section, 'bytes per message stored (gzip\'d JSON lines, one object per batch of 10)', archive.storedBytes.toFixed(0));
    report.info(section, 'bytes per message as a JSON line (uncompressed)', archive.lineBytes.toFixed(0));
    report.info(section, 'stored / JSON line', ratio(archive.storedBytes / archive.lineBytes));
  } finally {
    await t.stop();
  }
}
