/**
 * Coercion of raw values (TOML values, environment strings, code overrides) to the typed
 * value of a config key. Each function returns the value or throws {@link CoercionProblem},
 * which the resolver turns into an `INVALID_CONFIG` error naming the source.
 */

/** A value could not be coerced; `message` completes "Invalid value X for key K from S: ...". */
export class CoercionProblem extends Error {}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** Booleans: `true`/`false`, and from strings `true/false/1/0/yes/no` in any case. */
export function toBoolean(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  throw new CoercionProblem('accepted values are true, false, 1, 0, yes, no (in any case)');
}

/** Integers: numbers, bigints from TOML, or decimal digit strings such as `"1001"`. */
export function toInteger(raw: unknown, min: number, max: number): number {
  let value: number | undefined;
  if (typeof raw === 'number') value = raw;
  if (typeof raw === 'bigint') value = Number(raw);
  if (typeof raw === 'string' && /^\s*[0-9]+\s*$/.test(raw)) value = Number(raw.trim());
  if (value === undefined || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CoercionProblem(`accepted values are integers from ${min} to ${max}`);
  }
  return value;
}

export function toText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  throw new CoercionProblem('a string is expected');
}

export function toChoice<T extends string>(raw: unknown, choices: readonly T[]): T {
  if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T;
  throw new CoercionProblem(`accepted values are ${choices.map((choice) => JSON.stringify(choice)).join(', ')}`);
}

/** Lists: arrays of strings; from the environment, a comma-separated list or a JSON array. */
export function toStringList(raw: unknown, fromEnvironment: boolean): string[] {
  if (fromEnvironment && typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('[')) return toStringList(parseJson(text), false);
    return text.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  }
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) return [...raw];
  throw new CoercionProblem(
    fromEnvironment ? 'a comma-separated list or a JSON array of strings is expected' : 'an array of strings is expected',
  );
}

/** Maps: tables of strings; from the environment, `K=V,K2=V2` or a JSON object. */
export function toStringMap(raw: unknown, fromEnvironment: boolean): Record<string, string> {
  if (fromEnvironment && typeof raw === 'string') {
    const text = raw.trim();
    if (text.startsWith('{')) return toStringMap(parseJson(text), false);
    const map: Record<string, string> = {};
    for (const pair of text.split(',').filter((item) => item.trim().length > 0)) {
      const equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new CoercionProblem(
          `entry ${JSON.stringify(pair)} is not of the form NAME=VALUE; for a value that contains a comma, ` +
            'use the JSON form, such as {"NAME":"a,b"}',
        );
      }
      map[pair.slice(0, equals).trim()] = pair.slice(equals + 1);
    }
    return map;
  }
  if (isPlainObject(raw) && Object.values(raw).every((value) => typeof value === 'string')) {
    return { ...(raw as Record<string, string>) };
  }
  throw new CoercionProblem(
    fromEnvironment ? 'NAME=VALUE pairs separated by commas, or a JSON object of strings, are expected' : 'a table of strings is expected',
  );
}

/** Arrays of tables (files, downloads, ...); from the environment, a JSON array of objects. */
export function toTableList(raw: unknown, fromEnvironment: boolean): Record<string, unknown>[] {
  const value = fromEnvironment && typeof raw === 'string' ? parseJson(raw) : raw;
  if (Array.isArray(value) && value.every(isPlainObject)) return value.map((item) => ({ ...item }));
  throw new CoercionProblem(fromEnvironment ? 'a JSON array of objects is expected' : 'an array of tables is expected');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CoercionProblem(`the JSON is invalid (${(error as Error).message})`);
  }
}
