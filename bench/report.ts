// The benchmark's table: one row per figure, with its target and whether it was met.

export interface Row {
  readonly section: string;
  readonly name: string;
  readonly value: string;
  /** e.g. `≤ 1.10`; rows without a target are reported, not judged */
  readonly target?: string;
  readonly pass?: boolean;
}

export class Report {
  readonly rows: Row[] = [];

  add(row: Row): void {
    this.rows.push(row);
  }

  /** A row judged against an upper bound. */
  atMost(section: string, name: string, value: number, limit: number, format: (n: number) => string = String): void {
    this.add({ section, name, value: format(value), target: `≤ ${format(limit)}`, pass: value <= limit });
  }

  /** A row judged against a lower bound. */
  atLeast(section: string, name: string, value: number, limit: number, format: (n: number) => string = String): void {
    this.add({ section, name, value: format(value), target: `≥ ${format(limit)}`, pass: value >= limit });
  }

  info(section: string, name: string, value: string): void {
    this.add({ section, name, value });
  }

  get missed(): Row[] {
    return this.rows.filter((row) => row.pass === false);
  }

  render(): string {
    const header: Row = { section: 'section', name: 'figure', value: 'value', target: 'target' };
    const cells = [header, ...this.rows].map((row) => [
      row.section,
      row.name,
      row.value,
      row.target ?? '',
      row === header ? 'result' : row.pass === undefined ? '' : row.pass ? 'ok' : 'MISSED',
    ]);
    const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
    const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join('  ').trimEnd();
    return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
  }
}

export const ratio = (n: number) => n.toFixed(2);
export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
