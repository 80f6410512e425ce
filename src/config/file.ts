import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TomlError, parse as parseToml } from 'smol-toml';
import { SandboxImageError } from '../errors.js';
import { CONFIG_FILE_ENV } from './keys.js';
import { locateKeys, pathKey } from './key-lines.js';

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
    // A byte order mark, as some Windows editors write, is not part of the TOML text.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
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
    const problem = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new SandboxImageError(
      'INVALID_CONFIG',
      `Config file ${path} is not valid TOML at line ${error.line}, column ${error.column}: ${problem}. Fix the syntax there.`,
      { cause: error, details: { value: path, source: `file:${path}:${error.line}` } },
    );
  }

  const lines = locateKeys(text);
  return {
    path,
    document,
    lineOf: (table, key) => lines.get(pathKey([table, key])) ?? lines.get(pathKey([table])),
  };
}
