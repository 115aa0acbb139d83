/** The functions' structured log lines that carry this message; lines that are not JSON are passed over. */
export function logLinesWithMessage(logs: readonly string[], message: string): Array<Record<string, unknown>> {
  return logs.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.message === message ? [entry] : [];
    } catch {
      return [];
    }
  });
}
