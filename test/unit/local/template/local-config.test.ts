import { forAccount, readConfigFile, withEnvironmentOverrides } from '../../../../local/template/local-config';

describe('the local configuration', () => {
  it('applies ALLOWED_PRINCIPALS, MESSAGE_READERS and EVENT_SENDERS over the file (comma-separated, a trailing * allowed)', () => {
    // Act
    const config = withEnvironmentOverrides(readConfigFile(), {
      ALLOWED_PRINCIPALS: 'arn:aws:iam::123456789012:role/ops-*, arn:aws:iam::123456789012:role/dashboard',
      MESSAGE_READERS: 'arn:aws:iam::123456789012:role/ops-*',
      EVENT_SENDERS: 'arn:aws:iam::444455556666:role/runbook',
    });

    // Assess
    expect(config.api).toMatchObject({ allowedPrincipals: ['arn:aws:iam::123456789012:role/ops-*', 'arn:aws:iam::123456789012:role/dashboard'], messageReaders: ['arn:aws:iam::123456789012:role/ops-*'] });
    expect(config.events).toMatchObject({ allowedSenders: ['arn:aws:iam::444455556666:role/runbook'] });
  });

  it('keeps the defaults of API.md section 10 without the variables', () => {
    const config = withEnvironmentOverrides(readConfigFile(), {});
    expect(config).toMatchObject({
      account: '123456789012', region: 'us-east-1', managedQueues: ['*'],
      api: { allowedPrincipals: ['arn:aws:iam::123456789012:role/*'], messageReaders: ['arn:aws:iam::123456789012:role/local'] },
      events: { allowedSenders: ['arn:aws:iam::123456789012:role/*'] },
    });
  });

  it('fails on a bad ARN in a variable, naming the key and the variable', () => {
    expect(() => withEnvironmentOverrides(readConfigFile(), { MESSAGE_READERS: 'ops-team' })).toThrow(/api\.messageReaders\[0\] must be an IAM role or user ARN.*"ops-team".*with MESSAGE_READERS applied/);
  });

  it('applies ARCHIVE_BEFORE_EXPIRY_SECONDS as archiveBeforeExpiry, and fails on one that is no number of seconds, naming the variable', () => {
    expect(withEnvironmentOverrides(readConfigFile(), { ARCHIVE_BEFORE_EXPIRY_SECONDS: '3600' })).toMatchObject({ archiveBeforeExpiry: 3600 });
    expect(() => withEnvironmentOverrides(readConfigFile(), { ARCHIVE_BEFORE_EXPIRY_SECONDS: 'a day' })).toThrow(/archiveBeforeExpiry must be an integer.*with ARCHIVE_BEFORE_EXPIRY_SECONDS applied/);
  });

  it("moves every ARN of the configuration's account to another account (the local org's member stacks)", () => {
    const config = forAccount(readConfigFile(), '222222222222');
    expect(config).toMatchObject({ account: '222222222222', api: { allowedPrincipals: ['arn:aws:iam::222222222222:role/*'] } });
  });
});
