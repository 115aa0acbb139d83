import { randomUUID } from 'node:crypto';

import type { BusEvent } from '../../local/event-bus';
import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';
import { eventually } from '../support/local-stack-fixture';
import { inventoryEvent } from '../support/org-events';

const [ACCOUNT_1, ACCOUNT_2] = LOCAL_ORG_ACCOUNTS;

/** An inventory event as the account's forwarding rule hands it to the org bus (locally CloudWatch knows no ages, so they are given here). */
function forwarded(account: string, dlqs: Record<string, number>, ages: Record<string, number>): BusEvent {
  const event = inventoryEvent({ account, asOf: new Date().toISOString(), dlqs, ages });
  return { ...(event as Omit<BusEvent, 'version' | 'id' | 'resources' | 'event-bus-name'>), version: '0', id: randomUUID(), resources: [], 'event-bus-name': 'redrive-org' };
}

describe('GET /org/dlqs: sort=age and prefix, through the org bus and the org API', () => {
  const t = useTestOrg();
  const names = (answer: { body: { dlqs: Array<{ QueueName: string }> } }) => answer.body.dlqs.map((dlq) => dlq.QueueName);

  /** every page of a query, one entry a page, by nextToken */
  async function allPages(query: string): Promise<string[]> {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const answer = await t.org$(`/org/dlqs?${query}&limit=2${nextToken ? `&nextToken=${nextToken}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...names(answer));
      nextToken = answer.body.nextToken;
    } while (nextToken);
    return seen;
  }

  beforeAll(async () => {
    // ord-c is empty and ord-d's age is unknown: both last, by name
    await t.org.org.bus.deliver(forwarded(ACCOUNT_1, { 'ord-a-dlq': 5, 'ord-b-dlq': 2, 'ord-c-dlq': 0, 'ord-d-dlq': 7, 'other-dlq': 1 }, { 'ord-a-dlq': 300, 'ord-b-dlq': 9000, 'other-dlq': 50_000 }));
    await t.org.org.bus.deliver(forwarded(ACCOUNT_2, { 'ord-e-dlq': 3 }, { 'ord-e-dlq': 600 }));
    await t.org.org.bus.idle();
    await eventually(() => t.org$('/org/dlqs'), (answer) => answer.body?.dlqs?.length === 6);
  });

  it('orders by age, oldest message first, across accounts and within one, DLQs without messages or age last', async () => {
    // Act
    const all = await t.org$('/org/dlqs?sort=age');
    const paged = await allPages('sort=age');
    const ofAccount2 = await t.org$(`/org/dlqs?sort=age&accountId=${ACCOUNT_2}`);

    // Assess
    expect(names(all)).toEqual(['other-dlq', 'ord-b-dlq', 'ord-e-dlq', 'ord-a-dlq', 'ord-c-dlq', 'ord-d-dlq']);
    expect(paged).toEqual(names(all));
    expect(names(ofAccount2)).toEqual(['ord-e-dlq']);
  });

  it('lists only the queue names with the prefix, in every order, and pages full by nextToken', async () => {
    // Act
    const byName = await allPages('sort=name&prefix=ord-');
    const byMessages = await allPages('sort=messages&prefix=ord-');
    const byAge = await allPages('sort=age&prefix=ord-');
    const firstPage = await t.org$('/org/dlqs?sort=messages&prefix=ord-&limit=2');
    const inAccount = await t.org$(`/org/dlqs?prefix=ord-&accountId=${ACCOUNT_1}&sort=name`);

    // Assess
    expect(byName).toEqual(['ord-a-dlq', 'ord-b-dlq', 'ord-c-dlq', 'ord-d-dlq', 'ord-e-dlq']);
    expect(byMessages).toEqual(['ord-d-dlq', 'ord-a-dlq', 'ord-e-dlq', 'ord-b-dlq', 'ord-c-dlq']);
    expect(byAge).toEqual(['ord-b-dlq', 'ord-e-dlq', 'ord-a-dlq', 'ord-c-dlq', 'ord-d-dlq']);
    expect(names(firstPage)).toHaveLength(2);
    expect(names(inAccount)).toEqual(['ord-a-dlq', 'ord-b-dlq', 'ord-c-dlq', 'ord-d-dlq']);
  });

  it.each([
    ['sort=oldest', /sort must be one of messages, name, age/],
    ['prefix=ord*', /prefix must be the start of a queue name/],
    ['sort=age&limit=0', /limit must be an integer/],
  ])('refuses %s with a 400 InvalidParameterValue naming it', async (query, message) => {
    // Act
    const answer = await t.org$(`/org/dlqs?${query}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
    expect(answer.body.message).toMatch(message);
  });

  it("refuses a nextToken from another prefix's pages by name", async () => {
    // Prepare
    const first = await t.org$('/org/dlqs?sort=name&prefix=ord-&limit=1');

    // Act
    const answer = await t.org$(`/org/dlqs?sort=name&prefix=other&limit=1&nextToken=${first.body.nextToken}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/nextToken/);
  });
});
