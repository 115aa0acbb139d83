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
});
