// The demo's consumer (npm start -- --demo): it books each order into its ledger queue, and fails while
// that queue does not exist, as a consumer whose dependency is missing does. Creating the queue is the fix.
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

const LEDGER = 'demo-billing-ledger';
// the local stack sets AWS_REGION, credentials and AWS_ENDPOINT_URL_SQS for the world's functions
const sqs = new SQSClient({});

export async function handler(event) {
  let queueUrl;
  try {
    ({ QueueUrl: queueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: LEDGER })));
  } catch (error) {
    throw new Error(`the ledger queue ${LEDGER} is missing (${error.name}): order ${event?.detail?.orderId ?? '?'} not billed`, { cause: error });
  }
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ billed: event?.detail ?? event }) }));
  return { billed: event?.detail?.orderId ?? null };
}
