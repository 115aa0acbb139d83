import { ORG_ENV, readOrgSettings } from '../../../lambda/config/org-environment';

const BASE = { [ORG_ENV.tableName]: 'org', [ORG_ENV.region]: 'eu-west-1' };

describe('readOrgSettings', () => {
  it('keeps rows 90 days by default, as an account keeps its records, or the days the stack sets', () => {
    expect(readOrgSettings(BASE).retentionDays).toBe(90);
    expect(readOrgSettings({ ...BASE, [ORG_ENV.retentionDays]: '30' }).retentionDays).toBe(30);
  });

  it.each([['0'], ['-1'], ['ninety'], ['1.5']])('fails on %s days, naming the variable', (value) => {
    expect(() => readOrgSettings({ ...BASE, [ORG_ENV.retentionDays]: value })).toThrow(/ORG_RETENTION_DAYS must be/);
  });
});
