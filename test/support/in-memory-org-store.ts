import type { OrgAccount } from '../../lambda/domain/org/org-account';
import type { OrgDlq } from '../../lambda/domain/org/org-dlq';
import { ageOrderKey, messagesOrderKey } from '../../lambda/domain/org/org-dlq-order';
import { notedAccount, type OrgModel, orgTaskKey } from '../../lambda/domain/org/org-model';
import type { OrgDlqQuery, OrgListedDlq, OrgPage, OrgReadModelStore, OrgTaskQuery } from '../../lambda/domain/org/org-ports';
import type { OrgRecovery } from '../../lambda/domain/org/org-recovery';
import type { OrgTask } from '../../lambda/domain/org/org-task';
import { dlqSupersedes, newestTaskSupersedes, recoverySupersedes, taskSupersedes } from '../../lambda/domain/org/supersedes';
import { ACTIVE_STATUSES } from '../../lambda/domain/task-status';

/** OrgReadModelStore in memory, following the same newer-only rule as the DynamoDB store. */
export class InMemoryOrgStore implements OrgReadModelStore {
  readonly tasks = new Map<string, OrgTask>();
  readonly dlqs = new Map<string, OrgDlq>();
  readonly recoveries = new Map<string, OrgRecovery>();
  readonly dlqTasks = new Map<string, OrgTask>();
  readonly accounts = new Map<string, OrgAccount>();

  async putTaskIfNewer(task: OrgTask): Promise<boolean> {
    if (!taskSupersedes(this.tasks.get(orgTaskKey(task)), task)) return false;
    this.tasks.set(orgTaskKey(task), task);
    return true;
  }

  async putDlqIfNewer(dlq: OrgDlq): Promise<boolean> {
    if (!dlqSupersedes(this.dlqs.get(dlq.queueArn), dlq)) return false;
    this.dlqs.set(dlq.queueArn, dlq);
    return true;
  }

  async putDlqTaskIfNewer(task: OrgTask): Promise<boolean> {
    if (!newestTaskSupersedes(this.dlqTasks.get(task.sourceArn), task)) return false;
    this.dlqTasks.set(task.sourceArn, task);
    return true;
  }

  async putRecoveryIfNewer(recovery: OrgRecovery): Promise<boolean> {
    if (!recoverySupersedes(this.recoveries.get(recovery.queueArn), recovery)) return false;
    this.recoveries.set(recovery.queueArn, recovery);
    return true;
  }

  async noteAccount(account: OrgAccount): Promise<void> {
    this.accounts.set(account.accountId, notedAccount(this.accounts.get(account.accountId), account));
  }

  async countActiveTasks(): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    for (const task of this.tasks.values()) {
      if ((ACTIVE_STATUSES as readonly string[]).includes(task.status)) counts.set(task.accountId, (counts.get(task.accountId) ?? 0) + 1);
    }
    return counts;
  }

  async queryTasks(query: OrgTaskQuery): Promise<OrgPage<OrgTask>> {
    const items = [...this.tasks.values()]
      .filter((task) => (!query.accountId || task.accountId === query.accountId) && (!query.status || task.status === query.status) && (!query.sourceArn || task.sourceArn === query.sourceArn))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items: items.slice(0, query.limit) };
  }

  async queryDlqs(query: OrgDlqQuery): Promise<OrgPage<OrgListedDlq>> {
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const items = [...this.dlqs.values()]
      .filter((dlq) => !dlq.removed && (!query.accountId || dlq.accountId === query.accountId) && (!query.prefix || dlq.queueName.startsWith(query.prefix)))
      .sort((a, b) =>
        query.sort === 'name' ? byText(a.queueName, b.queueName) : query.sort === 'age' ? byText(ageOrderKey(a), ageOrderKey(b)) : byText(messagesOrderKey(a), messagesOrderKey(b)),
      );
    return { items: items.slice(0, query.limit).map((dlq) => this.joined(dlq)) };
  }

  private joined(dlq: OrgDlq): OrgListedDlq {
    const recovery = this.recoveries.get(dlq.queueArn);
    const newestTask = this.dlqTasks.get(dlq.queueArn);
    return { ...dlq, ...(recovery ? { recovery } : {}), ...(newestTask ? { newestTask } : {}) };
  }

  async listAccounts(): Promise<readonly OrgAccount[]> {
    return [...this.accounts.values()];
  }

  model(): OrgModel {
    return { tasks: new Map(this.tasks), dlqs: new Map(this.dlqs), recoveries: new Map(this.recoveries), dlqTasks: new Map(this.dlqTasks), accounts: new Map(this.accounts) };
  }
}
