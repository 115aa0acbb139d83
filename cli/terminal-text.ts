// Free text from the API (reasons, who, failure reasons, error sentences) --> text a terminal only prints

/**
 * Characters a terminal acts on instead of printing: C0 controls (ESC starts CSI/OSC sequences that
 * set titles, write the clipboard, move the cursor), DEL, C1 controls (U+009B is a one-byte CSI) and
 * the line marks, and the bidirectional marks and overrides (U+061C, U+200E/F, U+202A-202E,
 * U+2066-2069) that change how a line reads (Trojan Source, CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_KEEPING_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escaped = (char: string): string => {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

/** One cell or value: every control character shown as `\xNN` / `\uNNNN`, newlines too. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, escaped);
}

/** A multi-line message: its own line breaks kept, every other control character shown escaped. */
export function escapeForTerminal(text: string): string {
  return text.replace(CONTROL_KEEPING_LINES, escaped);
}

/**
 * JSON for a terminal: JSON.stringify already escapes C0, not DEL, C1 or the marks above; escaping
 * them as `\uNNNN` keeps the same JSON value.
 */
export function jsonForTerminal(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
