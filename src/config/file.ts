import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TomlError, parse as parseToml } from 'smol-toml';
import { SandboxImageError } from '../errors.js';
import { CONFIG_FILE_ENV } from './keys.js';

/** A config file read from disk. */
export interface ConfigFile {
  /** Absolute path. */
  path: string;
  /** The parsed TOML document. */
  document: Record<string, unknown>;
  /** Returns the 1-based line where `[table] key` is set, or where the table starts. */
  lineOf(table: string, key: string): number | undefined;
}

/**
 * Finds the config file: an explicit path (or `false` for none) first, then the
 * `SANDBOX_IMAGE_CONFIG` variable, then `config.toml` in `cwd` when it exists.
 *
 * @returns the absolute path, or `undefined` when no file applies.
 * @throws {SandboxImageError} `INVALID_CONFIG` when an explicitly named file does not exist.
 */
export function discoverConfigFile(
  configFile: string | false | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string | undefined {
  if (configFile === false) return undefined;
  if (configFile !== undefined) return requireFile(resolve(cwd, configFile), 'the configFile option');
  const fromEnvironment = env[CONFIG_FILE_ENV];
  if (fromEnvironment) return requireFile(resolve(cwd, fromEnvironment), `env:${CONFIG_FILE_ENV}`);
  const candidate = resolve(cwd, 'config.toml');
  return existsSync(candidate) ? candidate : undefined;
}

function requireFile(path: string, origin: string): string {
  if (existsSync(path)) return path;
  throw new SandboxImageError(
    'INVALID_CONFIG',
    `Config file ${path} (from ${origin}) was not found. Create it, fix the path, or pass configFile: false to read no file.`,
    { details: { value: path, source: origin } },
  );
}

/**
 * Reads and parses a TOML config file.
 *
 * @throws {SandboxImageError} `INVALID_CONFIG` naming the file, line and column of a syntax error.
 */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SandboxImageError('INVALID_CONFIG', `Config file ${path} could not be read: ${(error as Error).message}.`, {
      cause: error,
      details: { value: path },
    });
  }

  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const firstLine = error.message.split('\n')[0];
    throw new SandboxImageError(
      'INVALID_CONFIG',
      `Config file ${path} is not valid TOML at line ${error.line}, column ${error.column}: ${firstLine}. Fix the syntax there.`,
      { cause: error, details: { source: `file:${path}:${error.line}` } },
    );
  }

  const lines = locateKeys(text);
  return {
    path,
    document,
    lineOf: (table, key) => lines.get(`${table}\u0000${key}`) ?? lines.get(`${table}\u0000`),
  };
}

/**
 * Maps `table NUL key` to the line where it is set, by scanning table headers and
 * `key =` lines. smol-toml returns no positions, and the provenance of each value needs one.
 * Dotted keys count under their first part; `[[table.key]]` headers count as `table key`.
 */
function locateKeys(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let table = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const header = /^\[\[?\s*([A-Za-z0-9_.\-"' ]+?)\s*\]\]?/.exec(line);
    if (header) {
      const parts = header[1]!.split('.').map((part) => part.trim().replace(/^["']|["']$/g, ''));
      table = parts[0]!;
      if (!lines.has(`${table}\u0000`)) lines.set(`${table}\u0000`, index + 1);
      if (parts[1] !== undefined && !lines.has(`${table}\u0000${parts[1]}`)) lines.set(`${table}\u0000${parts[1]}`, index + 1);
      return;
    }
    const assignment = /^["']?([A-Za-z0-9_-]+)["']?\s*(?:\.[^=]*)?=/.exec(line);
    if (assignment && !lines.has(`${table}\u0000${assignment[1]}`)) lines.set(`${table}\u0000${assignment[1]}`, index + 1);
  });
  return lines;
}
