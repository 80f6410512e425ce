/**
 * Line numbers of the tables and keys in a TOML document. smol-toml returns values without
 * positions, and the source of each config value names its line, so this scanner finds them.
 *
 * It reads table headers (`[a.b]`, `[[a.b]]`) and the key path at the start of each
 * `key = value` line (bare, quoted and dotted keys), and skips the inside of multi-line
 * strings. It runs only on text that smol-toml has already accepted, so it does not validate.
 */

/** Separates the parts of a key path in the map keys. */
const SEPARATOR = '\u0000';

/** Returns the map key of a key path, such as `sandbox NUL user_id` for `[sandbox] user_id`. */
export function pathKey(path: readonly string[]): string {
  return path.join(SEPARATOR);
}

/**
 * Maps every table and key path to the 1-based line where it first appears. A dotted key
 * such as `sandbox.user_id = 5` counts for `sandbox` and for `sandbox user_id`; a header
 * `[[sandbox.files]]` counts for `sandbox` and `sandbox files`.
 */
export function locateKeys(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const record = (path: readonly string[], line: number): void => {
    for (let length = 1; length <= path.length; length += 1) {
      const key = pathKey(path.slice(0, length));
      if (!lines.has(key)) lines.set(key, line);
    }
  };

  let table: string[] = [];
  let openString: '"""' | "'''" | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    let rest = line;
    if (openString !== undefined) {
      const end = findClosing(rest, 0, openString);
      if (end === -1) return;
      rest = rest.slice(end + 3);
      openString = undefined;
    } else {
      const header = /^\s*\[\[?([^\]]*)\]\]?/.exec(rest);
      const assignment = header ? undefined : readKeyPath(rest);
      if (header) {
        table = readKeyPath(`${header[1]}=`)?.path ?? [];
        record(table, index + 1);
        rest = rest.slice(header[0].length);
      } else if (assignment) {
        record([...table, ...assignment.path], index + 1);
        rest = rest.slice(assignment.length);
      }
    }
    openString = findUnclosedString(rest);
  });
  return lines;
}

/** Reads a key path followed by `=` at the start of `text`, such as `"a".b =`. */
function readKeyPath(text: string): { path: string[]; length: number } | undefined {
  const part = /^\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*([.=])/;
  const path: string[] = [];
  let offset = 0;
  for (;;) {
    const match = part.exec(text.slice(offset));
    if (!match) return undefined;
    path.push(match[1] ?? (match[2] !== undefined ? unescapeBasic(match[2]) : match[3]!));
    offset += match[0].length;
    if (match[4] === '=') return { path, length: offset };
  }
}

function unescapeBasic(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

/** Returns the delimiter of a multi-line string that opens in `text` and does not close there. */
function findUnclosedString(text: string): '"""' | "'''" | undefined {
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (character === '#') return undefined;
    const triple = text.startsWith('"""', index) ? '"""' : text.startsWith("'''", index) ? "'''" : undefined;
    if (triple) {
      const end = findClosing(text, index + 3, triple);
      if (end === -1) return triple;
      index = end + 3;
    } else if (character === '"' || character === "'") {
      const end = findClosing(text, index + 1, character);
      index = end === -1 ? text.length : end + 1;
    } else {
      index += 1;
    }
  }
  return undefined;
}

/** Returns the index of `delimiter` at or after `from`, skipping backslash escapes in basic strings. */
function findClosing(text: string, from: number, delimiter: string): number {
  const escapes = delimiter.startsWith('"');
  for (let index = from; index < text.length; index += 1) {
    if (escapes && text[index] === '\\') {
      index += 1;
    } else if (text.startsWith(delimiter, index)) {
      return index;
    }
  }
  return -1;
}
