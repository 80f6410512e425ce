/**
 * Quoting for Dockerfile instructions, for the classic builder and BuildKit alike.
 *
 * The Dockerfile parser reads one instruction per line, joins lines that end in `\`, and
 * reads exec-form arguments (`["a", "b"]`) as JSON. Some instructions then expand words
 * like a shell: ENV, LABEL, WORKDIR, USER, COPY and ADD replace `$NAME`, drop quotes and
 * treat `\` as an escape, even inside the JSON exec form. RUN, CMD and ENTRYPOINT in exec
 * form do not. Newlines are rejected before rendering because no word can hold one.
 */

/** Maximum length in bytes of a physical Dockerfile line that the parser reads (measured on Docker Engine 20.10). */
export const MAX_LINE_BYTES = 65_535;

/** Renders a JSON array for RUN, CMD and ENTRYPOINT, such as `["/bin/sh", "-c", "echo hi"]`. */
export function execForm(...parts: string[]): string {
  return `[${parts.map((part) => JSON.stringify(part)).join(', ')}]`;
}

/**
 * Renders a JSON array for COPY and ADD, whose elements are expanded after JSON decoding:
 * `\`, `$`, `'` and `"` get a `\` first so that each element expands to itself.
 */
export function expandedExecForm(...parts: string[]): string {
  return execForm(...parts.map((part) => part.replace(/[\\$'"]/g, (character) => `\\${character}`)));
}

/**
 * Quotes a word for ENV, LABEL and WORKDIR: inside double quotes the expansion reads `\"`,
 * `\$` and `\\` as the characters themselves and keeps every other character.
 */
export function quoteWord(value: string): string {
  if (/[\r\n]/.test(value)) throw new RangeError('A Dockerfile word cannot contain a newline.');
  return `"${value.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}

/**
 * Renders an ENV or LABEL instruction with one `KEY="value"` pair per line, joined by `\`,
 * so that no single line grows with the number of pairs. Keys stay unquoted, so callers
 * pass only validated keys (letters, digits and `. _ / -`).
 */
export function keyValueInstruction(instruction: 'ENV' | 'LABEL', pairs: Record<string, string>): string {
  const words = Object.entries(pairs).map(([key, value]) => `${key}=${quoteWord(value)}`);
  const indent = ' '.repeat(instruction.length + 1);
  return `${instruction} ${words.join(` \\\n${indent}`)}`;
}
