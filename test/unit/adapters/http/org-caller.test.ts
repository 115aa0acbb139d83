import { callerThroughOrg, ORG_CALLER_HEADER } from '../../../../lambda/adapters/http/org-caller';

const ORG_ROLE = 'arn:aws:iam::999999999999:role/redrive-org-api';

describe('callerThroughOrg', () => {
  it('names the person the org role asks for, via org', () => {
    expect(callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'arn:aws:sts::999999999999:assumed-role/ops/alice' }, [ORG_ROLE])).toBe('arn:aws:sts::999999999999:assumed-role/ops/alice via org');
  });

  it('ignores the header from anyone but the org role', () => {
    expect(callerThroughOrg('arn:aws:iam::111111111111:user/bob', { [ORG_CALLER_HEADER]: 'alice' }, [ORG_ROLE])).toBe('arn:aws:iam::111111111111:user/bob');
  });

  it('ignores it when no org role is configured', () => {
    expect(callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'alice' }, [])).toBe(ORG_ROLE);
  });

  it('does not record control characters or an overlong name', () => {
    expect(callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'alice\nforged line' }, [ORG_ROLE])).toBe(`${ORG_ROLE} (an unreadable caller via org)`);
    expect(callerThroughOrg(ORG_ROLE, { [ORG_CALLER_HEADER]: 'a'.repeat(257) }, [ORG_ROLE])).toBe(`${ORG_ROLE} (an unreadable caller via org)`);
  });

  describe('deployed: API Gateway names the org function by its role session', () => {
    const SESSION = 'arn:aws:sts::999999999999:assumed-role/redrive-org-api/redrive-org-OrgApiFunction1234-AbCdEf';

    it("trusts the session of the configured role, the role's path notwithstanding", () => {
      expect(callerThroughOrg(SESSION, { [ORG_CALLER_HEADER]: 'alice' }, [ORG_ROLE])).toBe('alice via org');
      expect(callerThroughOrg(SESSION, { [ORG_CALLER_HEADER]: 'alice' }, ['arn:aws:iam::999999999999:role/platform/redrive-org-api'])).toBe('alice via org');
      expect(callerThroughOrg(SESSION, { [ORG_CALLER_HEADER]: 'alice' }, ['arn:aws:iam::999999999999:role/redrive-org-*'])).toBe('alice via org');
    });

    it('does not trust a session of another role, account or partition', () => {
      for (const other of [
        'arn:aws:sts::999999999999:assumed-role/redrive-org-api-evil/x',
        'arn:aws:sts::999999999999:assumed-role/ops/redrive-org-api',
        'arn:aws:sts::111111111111:assumed-role/redrive-org-api/x',
        'arn:aws-cn:sts::999999999999:assumed-role/redrive-org-api/x',
      ]) {
        expect(callerThroughOrg(other, { [ORG_CALLER_HEADER]: 'alice' }, [ORG_ROLE])).toBe(other);
      }
    });
  });
});
