import { callerThroughOrg, ORG_CALLER_HEADER } from '../../../../lambda/adapters/http/org-caller';

const ORG_ROLE = 'arn:aws:iam::999999999999:role/redrive-org-api';
const ALICE = 'arn:aws:sts::999999999999:assumed-role/ops/alice';
/** the account allows the org to act for its ops role's sessions */
const policy = (orgCallers: readonly string[], allowedCallers: readonly string[] = ['arn:aws:iam::999999999999:role/ops']) => ({ orgCallers, allowedCallers });

describe('callerThroughOrg', () => {
  it('names the person the org role asks for, via org, and checks that person\'s rights', () => {
    expect(callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: ALICE }, policy([ORG_ROLE]))).toEqual({ name: `${ALICE} via org`, principal: ALICE });
  });

  it('refuses a person the account does not allow, with a 403 that names them', () => {
    const bob = 'arn:aws:sts::999999999999:assumed-role/contractors/bob';
    expect(() => callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: bob }, policy([ORG_ROLE]))).toThrow(expect.objectContaining({ code: 'AccessDeniedException', status: 403, message: expect.stringContaining(`${bob} is not allowed to act in this account through the org view`) }));
    expect(() => callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: ALICE }, policy([ORG_ROLE], []))).toThrow(expect.objectContaining({ code: 'AccessDeniedException' }));
  });

  it('refuses a person whose role only shares a name prefix with a pattern under a path (IAM would not admit them)', () => {
    // role/oncall/ops* admits, for IAM, roles under path /oncall/ only; a session says nothing of its role's path
    const admin = 'arn:aws:sts::999999999999:assumed-role/ops-admin/mallory';
    expect(() => callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: admin }, policy([ORG_ROLE], ['arn:aws:iam::999999999999:role/oncall/ops*']))).toThrow(
      expect.objectContaining({ code: 'AccessDeniedException', status: 403, message: expect.stringContaining(`${admin} is not allowed`) }),
    );
  });

  it('ignores the header from anyone but the org role', () => {
    expect(callerThroughOrg('arn:aws:iam::111111111111:user/bob', { [ORG_CALLER_HEADER]: 'alice' }, policy([ORG_ROLE]))).toEqual({ name: 'arn:aws:iam::111111111111:user/bob', principal: 'arn:aws:iam::111111111111:user/bob' });
  });

  it('ignores it when no org role is configured', () => {
    expect(callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'alice' }, policy([])).name).toBe(ORG_ROLE);
  });

  it('refuses control characters or an overlong name rather than record them', () => {
    expect(() => callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'alice\nforged line' }, policy([ORG_ROLE], ['*']))).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('not readable') }));
    expect(() => callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'a'.repeat(257) }, policy([ORG_ROLE], ['*']))).toThrow(expect.objectContaining({ status: 403 }));
  });

  describe('deployed: API Gateway names the org function by its role session', () => {
    const SESSION = 'arn:aws:sts::999999999999:assumed-role/redrive-org-api/redrive-org-OrgApiFunction1234-AbCdEf';

    it("trusts the session of the configured role, the role's path notwithstanding", () => {
      expect(callerThroughOrg(SESSION, { [ORG_CALLER_HEADER]: ALICE }, policy([ORG_ROLE])).name).toBe(`${ALICE} via org`);
      expect(callerThroughOrg(SESSION, { [ORG_CALLER_HEADER]: ALICE }, policy(['arn:aws:iam::999999999999:role/platform/redrive-org-api'])).name).toBe(`${ALICE} via org`);
      expect(callerThroughOrg(SESSION, { [ORG_CALLER_HEADER]: ALICE }, policy(['arn:aws:iam::999999999999:role/redrive-org-*'])).name).toBe(`${ALICE} via org`);
    });

    it('does not trust a session of another role, account or partition', () => {
      for (const other of [
        'arn:aws:sts::999999999999:assumed-role/redrive-org-api-evil/x',
        'arn:aws:sts::999999999999:assumed-role/ops/redrive-org-api',
        'arn:aws:sts::111111111111:assumed-role/redrive-org-api/x',
        'arn:aws-cn:sts::999999999999:assumed-role/redrive-org-api/x',
      ]) {
        expect(callerThroughOrg(other, { [ORG_CALLER_HEADER]: ALICE }, policy([ORG_ROLE])).name).toBe(other);
      }
    });
  });
});
