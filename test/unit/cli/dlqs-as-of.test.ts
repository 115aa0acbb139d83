import { asOfLine } from '../../../cli/dlq-commands';

describe('asOfLine', () => {
  it("says how old the inventory's figures are, not how often it runs (every minute deployed, every 5 s locally)", () => {
    // Act
    const line = asOfLine('2026-12-07T12:00:00Z', Date.parse('2026-12-07T12:01:05Z'));

    // Assess
    expect(line).toBe("Figures as of 2026-12-07T12:00:00Z (1m5s ago), the inventory's last run; it refreshes them on its schedule.");
    expect(line).not.toMatch(/every minute/);
  });

  it('leaves the age out when the time does not parse', () => {
    // Assess
    expect(asOfLine('not a time', 0)).toBe("Figures as of not a time, the inventory's last run; it refreshes them on its schedule.");
  });
});
