/**
 * Quoting for Dockerfile instructions, for the classic builder and BuildKit alike.
 *
 * Exec-form arguments (RUN, COPY, ADD) are JSON arrays, which the Dockerfile parser reads
 * as JSON, so any string round-trips. ENV and LABEL values are double-quoted words, where
 * the parser treats backslash as the escape character and `$` as the start of a variable;
 * both are escaped, and newlines are rejected before rendering because a word cannot hold one.
 */

/** Renders a JSON array for the exec form, such as `["/bin/sh", "-c", "echo hi"]`. */
export function execForm(...parts: string[]): string {
  return `[${parts.map((part) => JSON.stringify(part)).join(', ')}]`;
}

/** Quotes a word for ENV and LABEL: `"` , `\` and `$` are escaped. */
export function quoteWord(value: string): string {
  if (/[\r\n]/.test(value)) throw new RangeError('A Dockerfile word cannot contain a newline.');
  return `"${value.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}

/**
 * Renders `KEY="value" KEY2="value2"` pairs for ENV or LABEL. Keys stay unquoted, so callers
 * pass only validated keys (letters, digits and `. _ / -`).
 */
export function keyValuePairs(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([key, value]) => `${key}=${quoteWord(value)}`)
    .join(' ');
}
