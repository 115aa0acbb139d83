import { escapeControlCharacters } from './terminal-text';

/** Columns padded to their widest cell; the last column is not padded. */
export function renderTable(headers: readonly string[], rawRows: ReadonlyArray<readonly string[]>): string {
  // free text from the API never reaches the terminal as control characters (stored verbatim, shown escaped)
  const rows = rawRows.map((row) => row.map(escapeControlCharacters));
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Free text (reasons) on one line, so a table stays a table. */
export function oneLine(text: string | undefined, max = 60): string {
  if (!text) return '-';
  const flat = escapeControlCharacters(text.replace(/[ \t\n\r]+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function formatTimestamp(ms: number | undefined): string {
  return ms ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}
