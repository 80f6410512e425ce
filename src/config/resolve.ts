import { dirname, resolve as resolvePath } from 'node:path';
import { SandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { CoercionProblem, isPlainObject } from './coerce.js';
import { discoverConfigFile, readConfigFile, type ConfigFile } from './file.js';
import { CONFIG_KEYS, type KeyDefinition } from './keys.js';
import { suggestName } from './suggest.js';
import type { ConfigSource, ResolvedConfig, SandboxConfig, SandboxConfigInput } from './types.js';

/** Options of {@link resolveConfig}. */
export interface ResolveConfigOptions {
  /**
   * Directory where `config.toml` is looked for and relative paths start.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Config file to read, or `false` to read none.
   * @default the `SANDBOX_IMAGE_CONFIG` variable, else `config.toml` in `cwd` when it exists
   */
  configFile?: string | false;
  /**
   * Environment to read variables from.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Values given in code; they win over every other source.
   * @default {}
   */
  overrides?: SandboxConfigInput;
}

/** The library's own table in config files. */
const OWN_TABLE = 'sandbox';

/**
 * Keys that OpenHands reads from `[sandbox]` for its own runtime, as listed by its
 * `SandboxConfig` (openhands/core/config/sandbox_config.py). They belong to the host
 * application, so they are not reported as unknown. OpenHands' `base_container_image`,
 * `user_id` and `platform` are keys of this library too.
 * NOTE: a key that a later OpenHands release adds to `[sandbox]` is reported as unknown
 * until it is listed here.
 */
const HOST_APPLICATION_SANDBOX_KEYS: readonly string[] = [
  'remote_runtime_api_url',
  'local_runtime_url',
  'keep_runtime_alive',
  'pause_closed_runtimes',
  'rm_all_containers',
  'api_key',
  'runtime_container_image',
  'timeout',
  'remote_runtime_init_timeout',
  'remote_runtime_api_timeout',
  'remote_runtime_enable_retries',
  'remote_runtime_class',
  'enable_auto_lint',
  'use_host_network',
  'runtime_binding_address',
  'runtime_extra_build_args',
  'initialize_plugins',
  'force_rebuild_runtime',
  'runtime_extra_deps',
  'runtime_startup_env_vars',
  'browsergym_eval_env',
  'close_delay',
  'remote_runtime_resource_factor',
  'enable_gpu',
  'docker_runtime_kwargs',
  'selected_repo',
  'trusted_dirs',
  'vscode_port',
  'volumes',
  'cuda_visible_devices',
];

type Values = Record<string, unknown>;
type Sources = Record<string, ConfigSource>;

/**
 * Resolves the configuration from its four sources. Precedence, lowest first:
 *
 * 1. defaults,
 * 2. the config file (a `[sandbox]` key wins over its aliases, such as `[core] sandbox_user_id`),
 * 3. environment variables (`SANDBOX_<KEY>` wins over an alias such as `RUN_AS_DEVIN`),
 * 4. `overrides` given in code.
 *
 * The config file is `configFile` when given (`false` reads none), else the file named by
 * `SANDBOX_IMAGE_CONFIG`, else `config.toml` in `cwd` when it exists. Environment variables
 * set to the empty string count as unset.
 *
 * @returns frozen values and, for every key, the source of its value.
 * @throws {SandboxImageError} `INVALID_CONFIG` naming the source (file and line, or variable),
 *   the key and the accepted values.
 */
export function resolveConfig(options: ResolveConfigOptions = {}): ResolvedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const values: Values = {};
  const sources: Sources = {};

  // Step 1: the config file, when one applies.
  const path = discoverConfigFile(options.configFile, env, cwd);
  const file = path === undefined ? undefined : readConfigFile(path);
  if (file) applyFile(file, values, sources);
  log.config('config file: %s', file?.path ?? 'none');

  // Step 2: environment variables, over the file.
  applyEnvironment(env, values, sources);

  // Step 3: overrides from code, over everything.
  applyOverrides(options.overrides ?? {}, values, sources);

  // Step 4: defaults for every key still unset; some depend on other resolved values.
  const resolved = fillDefaults(values, sources);

  // Step 5: host paths in `files` become absolute, relative to the file that named them.
  resolveFileSources(resolved, sources, file ? dirname(file.path) : cwd, cwd);

  // Values and sources are listed in the table's order, whichever source set them.
  const orderedValues: Values = {};
  const orderedSources: Sources = {};
  for (const key of CONFIG_KEYS) {
    orderedValues[key.option] = resolved[key.option];
    orderedSources[key.option] = sources[key.option]!;
    log.config('%s = %j (%s)', key.option, resolved[key.option], sources[key.option]);
  }
  return Object.freeze({
    values: deepFreeze(orderedValues as unknown as SandboxConfig),
    sources: Object.freeze(orderedSources as ResolvedConfig['sources']),
    configFile: file?.path,
  });
}

/** Builds the error for a value that failed coercion, naming its source, key and the accepted values. */
function invalidValue(definition: KeyDefinition, label: string, raw: unknown, source: ConfigSource, problem: string, cause: unknown): SandboxImageError {
  const shownValue = raw instanceof Uint8Array ? `<${raw.length} bytes>` : JSON.stringify(raw) ?? String(raw);
  let subject: string;
  if (source.startsWith('env:')) subject = `in ${describeSource(source)} (key ${definition.toml})`;
  else if (source === 'override') subject = `for option ${definition.option} in ${describeSource(source)}`;
  else subject = `for ${label} in ${describeSource(source)}`;
  return new SandboxImageError('INVALID_CONFIG', `Invalid value ${shownValue} ${subject}: ${problem.replace(/\.$/, '')}.`, {
    cause,
    details: { key: label, value: raw, source },
  });
}

/** Returns a readable form of a source, such as `config file /app/config.toml line 5`. */
export function describeSource(source: ConfigSource): string {
  if (source.startsWith('file:')) {
    const rest = source.slice('file:'.length);
    const match = /^(.*):(\d+)$/.exec(rest);
    return match ? `config file ${match[1]} line ${match[2]}` : `config file ${rest}`;
  }
  if (source.startsWith('env:')) return `environment variable ${source.slice('env:'.length)}`;
  if (source === 'override') return 'the options passed in code';
  return 'the defaults';
}

function parseWith(definition: KeyDefinition, label: string, raw: unknown, source: ConfigSource, fromEnvironment: boolean): unknown {
  try {
    return definition.parse(raw, fromEnvironment);
  } catch (error) {
    if (error instanceof CoercionProblem) throw invalidValue(definition, label, raw, source, error.message, error);
    throw error;
  }
}

function applyFile(file: ConfigFile, values: Values, sources: Sources): void {
  const fileSource = (table: string, key: string): ConfigSource => {
    const line = file.lineOf(table, key);
    return line === undefined ? `file:${file.path}` : `file:${file.path}:${line}`;
  };
  checkTables(file, fileSource);
  checkUnknownFileKeys(file, fileSource);

  for (const definition of CONFIG_KEYS) {
    const candidates = [{ table: OWN_TABLE, key: definition.toml }, ...definition.aliases];
    const present = candidates.filter((candidate) => tableOf(file.document, candidate.table)?.[candidate.key] !== undefined);
    const chosen = present[0];
    if (chosen === undefined) continue;
    for (const ignored of present.slice(1)) {
      log.config('[%s] %s is ignored because [%s] %s is set', ignored.table, ignored.key, chosen.table, chosen.key);
    }
    const raw = tableOf(file.document, chosen.table)![chosen.key];
    const source = fileSource(chosen.table, chosen.key);
    values[definition.option] = parseWith(definition, `[${chosen.table}] ${chosen.key}`, raw, source, false);
    sources[definition.option] = source;
  }
}

/** Rejects a `sandbox` or `core` entry that is not a table, such as `sandbox = "x"` or `[[sandbox]]`. */
function checkTables(file: ConfigFile, fileSource: (table: string, key: string) => ConfigSource): void {
  const tables = new Set([OWN_TABLE, ...CONFIG_KEYS.flatMap((definition) => definition.aliases.map((alias) => alias.table))]);
  for (const table of tables) {
    const value = file.document[table];
    if (value === undefined || tableOf(file.document, table)) continue;
    const source = fileSource(table, '');
    throw new SandboxImageError(
      'INVALID_CONFIG',
      `Invalid value ${JSON.stringify(value)} for ${table} in ${describeSource(source)}: ${table} must be a table. Write its keys under a [${table}] header.`,
      { details: { key: table, value, source } },
    );
  }
}

/**
 * Rejects unknown keys in `[sandbox]`, and in `[core]` the keys that look like a typo of
 * one of ours. Other `[core]` keys and other tables belong to the host application.
 */
function checkUnknownFileKeys(file: ConfigFile, fileSource: (table: string, key: string) => ConfigSource): void {
  const known = new Map<string, string[]>();
  const add = (table: string, key: string) => known.set(table, [...(known.get(table) ?? []), key]);
  for (const definition of CONFIG_KEYS) {
    add(OWN_TABLE, definition.toml);
    for (const alias of definition.aliases) add(alias.table, alias.key);
  }

  for (const [table, keys] of known) {
    const content = tableOf(file.document, table);
    if (!content) continue;
    const hostKeys = table === OWN_TABLE ? HOST_APPLICATION_SANDBOX_KEYS : [];
    for (const key of Object.keys(content)) {
      if (keys.includes(key) || hostKeys.includes(key)) continue;
      const suggestion = suggestName(key, [...keys, ...hostKeys]);
      if (table !== OWN_TABLE && suggestion === undefined) continue;
      const source = fileSource(table, key);
      const hint = suggestion ? `Did you mean ${suggestion}?` : `Known keys are ${keys.join(', ')}.`;
      throw new SandboxImageError('INVALID_CONFIG', `Unknown key [${table}] ${key} in ${describeSource(source)}. ${hint}`, {
        details: { key: `[${table}] ${key}`, source },
      });
    }
  }
}

function tableOf(document: Record<string, unknown>, table: string): Record<string, unknown> | undefined {
  const value = document[table];
  return isPlainObject(value) ? value : undefined;
}

function applyEnvironment(env: Readonly<Record<string, string | undefined>>, values: Values, sources: Sources): void {
  for (const definition of CONFIG_KEYS) {
    const name = definition.env.find((candidate) => env[candidate] !== undefined && env[candidate] !== '');
    if (name === undefined) continue;
    const ignored = definition.env.filter((candidate) => candidate !== name && env[candidate]);
    if (ignored.length > 0) log.config('%s is ignored because %s is set', ignored.join(', '), name);
    const source: ConfigSource = `env:${name}`;
    values[definition.option] = parseWith(definition, name, env[name], source, true);
    sources[definition.option] = source;
  }
}

function applyOverrides(overrides: SandboxConfigInput, values: Values, sources: Sources): void {
  const options = CONFIG_KEYS.map((definition) => definition.option as string);
  for (const [option, raw] of Object.entries(overrides)) {
    const definition = CONFIG_KEYS.find((candidate) => candidate.option === option);
    if (!definition) {
      const suggestion = suggestName(option, options);
      throw new SandboxImageError(
        'INVALID_CONFIG',
        `Unknown option ${JSON.stringify(option)} in the options passed in code. ` +
          (suggestion ? `Did you mean ${suggestion}?` : `Known options are ${options.join(', ')}.`),
        { details: { key: option, source: 'override' } },
      );
    }
    if (raw === undefined) continue;
    values[option] = parseWith(definition, option, raw, 'override', false);
    sources[option] = 'override';
  }
}

function fillDefaults(values: Values, sources: Sources): SandboxConfig {
  const deferred: KeyDefinition[] = [];
  for (const definition of CONFIG_KEYS) {
    if (definition.option in values) continue;
    sources[definition.option] = 'default';
    if (typeof definition.defaultValue === 'function') deferred.push(definition);
    else values[definition.option] = structuredClone(definition.defaultValue);
  }
  for (const definition of deferred) {
    values[definition.option] = (definition.defaultValue as (all: SandboxConfig) => unknown)(values as unknown as SandboxConfig);
  }
  return values as unknown as SandboxConfig;
}

function resolveFileSources(config: SandboxConfig, sources: Sources, fileDirectory: string, cwd: string): void {
  const base = sources.files?.startsWith('file:') ? fileDirectory : cwd;
  config.files = config.files.map((entry) =>
    entry.source === undefined ? entry : { ...entry, source: resolvePath(base, entry.source) },
  );
}

/** Freezes objects and arrays; byte arrays stay writable because typed arrays cannot be frozen. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
