/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts escape sequences that
 * can retitle the window, clear the screen or rewrite what was printed), DEL, C1 controls (U+009B is
 * a one-character CSI on many terminals), the line and paragraph separators, and the bidirectional
 * overrides and isolates that make text read differently from how it is stored. User text (ids,
 * file names, messages quoting input) goes through these helpers before it reaches a terminal.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same set minus the C0 range, which JSON.stringify already escapes. */
const NOT_ESCAPED_BY_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, "0");
const escapeOne = (c: string) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/**
 * `text` with every control character written as a visible escape (`\x1b`, `\u202e`), cut to
 * `maxLength` characters with an ellipsis. `keepNewlines` leaves line feeds alone, for messages that
 * are several lines on purpose.
 */
export function printable(text: string, options: { maxLength?: number; keepNewlines?: boolean } = {}): string {
  const max = options.maxLength ?? Infinity;
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(CONTROLS, (c) => (c === "\n" && options.keepNewlines ? c : escapeOne(c)));
}

/** JSON.stringify, with the controls it leaves raw written as \u escapes: the same JSON value, safe to print. */
export function jsonForTerminal(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(NOT_ESCAPED_BY_JSON, (c) => `\\u${hex(c, 4)}`);
}
