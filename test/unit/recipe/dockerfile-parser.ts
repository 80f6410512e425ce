/**
 * A small Dockerfile reader that follows the rules of Docker's parser (moby/buildkit
 * frontend/dockerfile/parser and shell, as used by Docker Engine 20.10): physical lines
 * joined by a trailing `\`, comment lines dropped, JSON exec form for RUN, CMD, ENTRYPOINT,
 * COPY and ADD, and word expansion for ENV, LABEL, WORKDIR, COPY and ADD. Where Docker
 * would expand a variable, it throws instead, so an unescaped `$` fails a test.
 */

/** One instruction: its keyword, its `--name=value` flags and its arguments after expansion. */
export interface ParsedInstruction {
  keyword: string;
  flags: string[];
  args: string[];
}

/** Go's unicode.IsSpace, which Docker uses to split words. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const CONTINUATION = /\\[ \t]*$/;

export function parseDockerfile(text: string): ParsedInstruction[] {
  return logicalLines(text).map(parseInstruction);
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending: string | undefined;
  for (const physical of text.split('\n')) {
    const trimmed = physical.replace(/^[\t\v\f\r ]+/, '');
    if (trimmed.startsWith('#')) continue;
    if (pending === undefined && trimmed.length === 0) continue;
    const joined = (pending ?? '') + trimmed;
    if (CONTINUATION.test(joined)) {
      pending = joined.replace(CONTINUATION, '');
    } else {
      lines.push(joined);
      pending = undefined;
    }
  }
  if (pending !== undefined) throw new Error('The Dockerfile ends inside a continued line.');
  return lines;
}

function parseInstruction(line: string): ParsedInstruction {
  const match = /^(\S+)[\t\v\f\r ]+([\s\S]*)$/.exec(line.trim());
  if (!match) throw new Error(`An instruction has no arguments: ${JSON.stringify(line)}`);
  const keyword = match[1]!.toUpperCase();
  let rest = match[2]!;
  const flags: string[] = [];
  if (keyword === 'COPY' || keyword === 'ADD') {
    let flag: RegExpExecArray | null;
    while ((flag = /^(--[a-z]+=[^\s]*)[\t ]+/.exec(rest))) {
      flags.push(processWord(flag[1]!));
      rest = rest.slice(flag[0].length);
    }
  }
  switch (keyword) {
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT':
      return { keyword, flags, args: parseJsonArray(rest) };
    case 'COPY':
    case 'ADD':
      return { keyword, flags, args: parseJsonArray(rest).map(processWord) };
    case 'ENV':
    case 'LABEL':
      return { keyword, flags, args: parseWords(rest).flatMap(splitPair) };
    case 'WORKDIR':
      return { keyword, flags, args: [processWord(rest)] };
    default:
      return { keyword, flags, args: [rest] };
  }
}

function parseJsonArray(rest: string): string[] {
  if (!rest.startsWith('[')) throw new Error(`Not in exec form: ${JSON.stringify(rest)}`);
  const value: unknown = JSON.parse(rest);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`Not a JSON array of strings: ${JSON.stringify(rest)}`);
  }
  return value as string[];
}

/** `KEY=value` words become `[KEY, expanded value]`. */
function splitPair(word: string): string[] {
  const equals = word.indexOf('=');
  if (equals <= 0) throw new Error(`Not a KEY=value word: ${JSON.stringify(word)}`);
  return [word.slice(0, equals), processWord(word.slice(equals + 1))];
}

/** Docker's parseWords: splits at white space outside quotes and keeps quotes and escapes. */
function parseWords(rest: string): string[] {
  const words: string[] = [];
  const characters = Array.from(rest);
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  for (let index = 0; index < characters.length; index++) {
    let character = characters[index]!;
    if (quote === undefined) {
      if (GO_SPACE.test(character)) {
        if (inWord) words.push(word);
        word = '';
        inWord = false;
        continue;
      }
      inWord = true;
      if (character === '"' || character === "'") quote = character;
      else if (character === '\\') {
        if (index + 1 === characters.length) continue;
        word += character;
        character = characters[++index]!;
      }
      word += character;
      continue;
    }
    if (character === quote) quote = undefined;
    else if (character === '\\' && quote !== "'") {
      if (index + 1 === characters.length) continue;
      word += character;
      character = characters[++index]!;
    }
    word += character;
  }
  if (quote !== undefined) throw new Error(`Unterminated quote in ${JSON.stringify(rest)}`);
  if (inWord) words.push(word);
  return words;
}

/** Docker's ProcessWord with escape `\`: removes quotes and escapes; throws where it would expand. */
export function processWord(word: string): string {
  let result = '';
  let index = 0;
  const next = () => word[index++];
  while (index < word.length) {
    const character = next()!;
    if (character === '\\') {
      if (index < word.length) result += next();
    } else if (character === "'") {
      const end = word.indexOf("'", index);
      if (end < 0) throw new Error(`Unterminated single quote in ${JSON.stringify(word)}`);
      result += word.slice(index, end);
      index = end + 1;
    } else if (character === '"') {
      result += doubleQuoted();
    } else if (character === '$') {
      throw new Error(`Unescaped $ would expand in ${JSON.stringify(word)}`);
    } else {
      result += character;
    }
  }
  return result;

  function doubleQuoted(): string {
    let text = '';
    for (;;) {
      if (index >= word.length) throw new Error(`Unterminated double quote in ${JSON.stringify(word)}`);
      const character = next()!;
      if (character === '"') return text;
      if (character === '$') throw new Error(`Unescaped $ would expand in ${JSON.stringify(word)}`);
      if (character === '\\') {
        const escaped = word[index];
        if (escaped === undefined) continue;
        if (escaped === '"' || escaped === '$' || escaped === '\\') {
          text += escaped;
          index++;
          continue;
        }
      }
      text += character;
    }
  }
}
