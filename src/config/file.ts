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
  if (configFile !== undefined) {
    const hint = 'Create it, fix the path, or read no file (configFile: false in code, --no-config on the command line).';
    return requireFile(resolve(cwd, configFile), 'the configFile option or --config', 'the configFile option', hint);
  }
  const fromEnvironment = env[CONFIG_FILE_ENV];
  if (fromEnvironment) {
    const hint = `Create it, fix the variable, or unset ${CONFIG_FILE_ENV} to read ./config.toml when it exists.`;
    return requireFile(resolve(cwd, fromEnvironment), `environment variable ${CONFIG_FILE_ENV}`, `env:${CONFIG_FILE_ENV}`, hint);
  }
  const candidate = resolve(cwd, 'config.toml');
  return existsSync(candidate) ? candidate : undefined;
}

/** Returns `path` when the file exists, else raises an error that names where the path came from. */
function requireFile(path: string, origin: string, source: string, hint: string): string {
  if (existsSync(path)) return path;
  throw new SandboxImageError('INVALID_CONFIG', `Config file ${path} (from ${origin}) was not found. ${hint}`, {
    details: { value: path, source },
  });
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
