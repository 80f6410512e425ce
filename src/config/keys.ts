import { isSandboxImageError } from '../errors.js';
import { DEFAULT_IMAGE_REPOSITORY } from '../reference/derived-name.js';
import { parseImageReference } from '../reference/parse.js';
import {
  MAX_ID,
  checkWorkdir,
  checkEnvName,
  checkLabelKey,
  checkNetworkMode,
  checkPackageName,
  checkPlatform,
  checkTextValue,
  checkUserName,
} from '../recipe/validate.js';
import {
  CoercionProblem,
  toBoolean,
  toChoice,
  toInteger,
  toStringList,
  toStringMap,
  toTableList,
  toText,
} from './coerce.js';
import { parseDirectories, parseDownloads, parseFiles, parseSteps } from './entries.js';
import type { SandboxConfig } from './types.js';

/** A key under another table that means the same as one of ours, such as `[core] sandbox_user_id`. */
export interface KeyAlias {
  table: string;
  key: string;
}

/**
 * One configuration key. This table drives file parsing, environment parsing, validation,
 * `sandbox-image config` and docs/configuration.md, so a key is added in one place.
 */
export interface KeyDefinition<K extends keyof SandboxConfig = keyof SandboxConfig> {
  /** The option's camelCase name in code. */
  option: K;
  /** The key in the `[sandbox]` table. */
  toml: string;
  /**
   * Keys elsewhere that mean the same. The `[sandbox]` key wins over all of them, and an
   * earlier alias wins over a later one.
   */
  aliases: KeyAlias[];
  /** Environment variables, the primary `SANDBOX_<KEY>` first. The first one set to a non-empty value wins. */
  env: string[];
  /** Type as written in the docs. */
  type: string;
  /** The default, or a function of the other resolved values. */
  defaultValue: SandboxConfig[K] | ((values: SandboxConfig) => SandboxConfig[K]);
  /** The default as written in the docs. */
  defaultText: string;
  /** Converts and validates a raw value; `fromEnvironment` is true for environment strings. */
  parse(raw: unknown, fromEnvironment: boolean): SandboxConfig[K];
  /** One line for the docs and `sandbox-image config`. */
  description: string;
}

/** Returns `value`, or throws the validator's `problem`, a fragment such as "is not a valid user name". */
function checked<T>(value: T, problem: string | undefined): T {
  if (problem) throw new CoercionProblem(`it ${problem}`);
  return value;
}

function checkEach<T>(values: T[], check: (value: T) => string | undefined, describe: (value: T) => string): T[] {
  for (const value of values) {
    const problem = check(value);
    if (problem) throw new CoercionProblem(`${describe(value)} ${problem}`);
  }
  return values;
}

function parseReference(raw: unknown): string {
  const text = toText(raw);
  try {
    parseImageReference(text);
  } catch (error) {
    if (!isSandboxImageError(error, 'INVALID_REFERENCE')) throw error;
    // The config error names the value already, so only the reason is kept.
    const reason = error.message.replace(`Invalid image reference ${JSON.stringify(text)}: `, '').replace(/\.$/, '');
    throw new CoercionProblem(`it is not a valid image reference: ${reason}`);
  }
  return text;
}

function parseRepository(raw: unknown): string {
  const text = parseReference(raw);
  const reference = parseImageReference(text);
  if (reference.tag !== undefined || reference.digest !== undefined) {
    throw new CoercionProblem('a repository without tag or digest is expected, such as "localhost/sandbox-image"');
  }
  return text;
}

function parseUserName(raw: unknown): string {
  const text = toText(raw);
  // Provisioning would rewrite the root account's UID and group, so root is never the sandbox user.
  if (text === 'root') throw new CoercionProblem('"root" is reserved. Set user_id to 0 to run as root without a sandbox user');
  return checked(text, checkUserName(text));
}

function optionalText(raw: unknown, check: (value: string) => string | undefined): string | undefined {
  const text = toText(raw);
  if (text === '') return undefined;
  return checked(text, check(text));
}

function stringMap(raw: unknown, fromEnvironment: boolean, checkKey: (key: string) => string | undefined): Record<string, string> {
  const map = toStringMap(raw, fromEnvironment);
  checkEach(Object.keys(map), checkKey, (key) => `name ${JSON.stringify(key)}`);
  checkEach(Object.entries(map), ([, value]) => checkTextValue(value), ([key]) => `the value of ${JSON.stringify(key)}`);
  return map;
}

function define<K extends keyof SandboxConfig>(definition: KeyDefinition<K>): KeyDefinition<K> {
  return definition;
}

/** Every configuration key, in the order the docs list them. */
export const CONFIG_KEYS: readonly KeyDefinition[] = [
  define({
    option: 'baseImage',
    toml: 'base_image',
    aliases: [
      { table: 'sandbox', key: 'base_container_image' },
      { table: 'core', key: 'sandbox_base_container_image' },
      { table: 'core', key: 'sandbox_container_image' },
    ],
    env: ['SANDBOX_BASE_IMAGE', 'SANDBOX_BASE_CONTAINER_IMAGE', 'SANDBOX_CONTAINER_IMAGE'],
    type: 'image reference',
    defaultValue: 'debian:bookworm-slim',
    defaultText: '"debian:bookworm-slim"',
    parse: parseReference,
    description: 'Base image the sandbox image is derived from.',
  }),
  define({
    option: 'imageRepository',
    toml: 'image_repository',
    aliases: [],
    env: ['SANDBOX_IMAGE_REPOSITORY'],
    type: 'repository',
    defaultValue: DEFAULT_IMAGE_REPOSITORY,
    defaultText: `"${DEFAULT_IMAGE_REPOSITORY}"`,
    parse: parseRepository,
    description: 'Repository of derived images, without tag; a registry host makes it shareable.',
  }),
  define({
    option: 'userName',
    toml: 'user_name',
    aliases: [],
    env: ['SANDBOX_USER_NAME'],
    type: 'user name',
    defaultValue: 'sandbox',
    defaultText: '"sandbox"',
    parse: parseUserName,
    description: 'Name of the sandbox user, other than "root" (set user_id to 0 to run as root).',
  }),
  define({
    option: 'userId',
    toml: 'user_id',
    aliases: [{ table: 'core', key: 'sandbox_user_id' }],
    env: ['SANDBOX_USER_ID'],
    type: 'integer, 0 to 2147483647',
    defaultValue: 1000,
    defaultText: '1000',
    parse: (raw) => toInteger(raw, 0, MAX_ID),
    description: 'UID of the sandbox user; 0 runs as root and creates no user.',
  }),
  define({
    option: 'groupId',
    toml: 'group_id',
    aliases: [],
    env: ['SANDBOX_GROUP_ID'],
    type: 'integer, 0 to 2147483647',
    defaultValue: (values) => values.userId,
    defaultText: 'the UID',
    parse: (raw) => toInteger(raw, 0, MAX_ID),
    description: "GID of the sandbox user's primary group.",
  }),
  define({
    option: 'runAsUser',
    toml: 'run_as_user',
    aliases: [{ table: 'core', key: 'run_as_openhands' }, { table: 'core', key: 'run_as_devin' }],
    env: ['SANDBOX_RUN_AS_USER', 'RUN_AS_OPENHANDS', 'RUN_AS_DEVIN'],
    type: 'boolean',
    defaultValue: true,
    defaultText: 'true',
    parse: toBoolean,
    description: 'Whether the final user is the sandbox user; false runs as root and creates no user.',
  }),
  define({
    option: 'sudo',
    toml: 'sudo',
    aliases: [],
    env: ['SANDBOX_SUDO'],
    type: '"nopasswd" | "none"',
    defaultValue: 'nopasswd',
    defaultText: '"nopasswd"',
    parse: (raw) => toChoice(raw, ['nopasswd', 'none'] as const),
    description: 'Sudo rights of the sandbox user: passwordless sudo, or no sudo at all.',
  }),
  define({
    option: 'ssh',
    toml: 'ssh',
    aliases: [],
    env: ['SANDBOX_SSH'],
    type: 'boolean',
    defaultValue: false,
    defaultText: 'false',
    parse: toBoolean,
    description: 'Install an OpenSSH server, with /var/run/sshd ready.',
  }),
  define({
    option: 'packages',
    toml: 'packages',
    aliases: [],
    env: ['SANDBOX_PACKAGES'],
    type: 'string list',
    defaultValue: [],
    defaultText: '[]',
    parse: (raw, fromEnvironment) => checkEach(toStringList(raw, fromEnvironment), checkPackageName, (name) => `package ${JSON.stringify(name)}`),
    description: 'Extra distribution packages to install (environment: comma-separated).',
  }),
  define({
    option: 'env',
    toml: 'env',
    aliases: [],
    env: ['SANDBOX_ENV'],
    type: 'string table',
    defaultValue: {},
    defaultText: '{}',
    parse: (raw, fromEnvironment) => stringMap(raw, fromEnvironment, checkEnvName),
    description: 'Environment variables set in the image (environment: NAME=VALUE,... or JSON).',
  }),
  define({
    option: 'workdir',
    toml: 'workdir',
    aliases: [],
    env: ['SANDBOX_WORKDIR'],
    type: 'absolute path',
    defaultValue: '/workspace',
    defaultText: '"/workspace"',
    parse: (raw) => { const text = toText(raw); return checked(text, checkWorkdir(text)); },
    description: 'Working directory of the image, owned by the sandbox user.',
  }),
  define({
    option: 'pull',
    toml: 'pull',
    aliases: [],
    env: ['SANDBOX_PULL'],
    type: '"missing" | "always" | "never"',
    defaultValue: 'missing',
    defaultText: '"missing"',
    parse: (raw) => toChoice(raw, ['missing', 'always', 'never'] as const),
    description: 'When to pull the base image.',
  }),
  define({
    option: 'rebuild',
    toml: 'rebuild',
    aliases: [],
    env: ['SANDBOX_REBUILD'],
    type: '"if-stale" | "never" | "always"',
    defaultValue: 'if-stale',
    defaultText: '"if-stale"',
    parse: (raw) => toChoice(raw, ['if-stale', 'never', 'always'] as const),
    description: 'When to rebuild an existing derived image; if-stale rebuilds when the base image ID changed.',
  }),
  define({
    option: 'platform',
    toml: 'platform',
    aliases: [],
    env: ['SANDBOX_PLATFORM'],
    type: 'platform',
    defaultValue: undefined,
    defaultText: "the base image's",
    parse: (raw) => optionalText(raw, checkPlatform),
    description: 'Platform to build for, such as linux/amd64.',
  }),
  define({
    option: 'uidConflict',
    toml: 'uid_conflict',
    aliases: [],
    env: ['SANDBOX_UID_CONFLICT'],
    type: '"take-over" | "fail" | "remove"',
    defaultValue: 'take-over',
    defaultText: '"take-over"',
    parse: (raw) => toChoice(raw, ['take-over', 'fail', 'remove'] as const),
    description: 'What to do when the UID belongs to another account in the base image.',
  }),
  define({
    option: 'push',
    toml: 'push',
    aliases: [],
    env: ['SANDBOX_PUSH'],
    type: 'boolean',
    defaultValue: false,
    defaultText: 'false',
    parse: toBoolean,
    description: 'Push the derived image to its repository after a build.',
  }),
  define({
    option: 'directories',
    toml: 'directories',
    aliases: [],
    env: ['SANDBOX_DIRECTORIES'],
    type: 'array of { path, mode?, owner? }',
    defaultValue: [],
    defaultText: '[]',
    parse: (raw, fromEnvironment) => parseDirectories(toTableList(raw, fromEnvironment)),
    description: 'Directories created in the image (environment: JSON).',
  }),
  define({
    option: 'files',
    toml: 'files',
    aliases: [],
    env: ['SANDBOX_FILES'],
    type: 'array of { path, content | source, mode?, owner? }',
    defaultValue: [],
    defaultText: '[]',
    parse: (raw, fromEnvironment) => parseFiles(toTableList(raw, fromEnvironment)),
    description: 'Files copied into the image; mode defaults to 0644, owner to the sandbox user under its home and to root elsewhere; source paths are relative to the config file (environment: JSON).',
  }),
  define({
    option: 'downloads',
    toml: 'downloads',
    aliases: [],
    env: ['SANDBOX_DOWNLOADS'],
    type: 'array of { url, sha256, path, mode?, owner? }',
    defaultValue: [],
    defaultText: '[]',
    parse: (raw, fromEnvironment) => parseDownloads(toTableList(raw, fromEnvironment)),
    description: 'Files downloaded during the build and verified by SHA-256; mode defaults to 0644, owner as for files (environment: JSON).',
  }),
  define({
    option: 'steps',
    toml: 'steps',
    aliases: [],
    env: ['SANDBOX_STEPS'],
    type: 'array of { run, user? }',
    defaultValue: [],
    defaultText: '[]',
    parse: (raw, fromEnvironment) => parseSteps(toTableList(raw, fromEnvironment)),
    description: 'Extra shell commands run during the build, as root or as the sandbox user (trusted input; environment: JSON).',
  }),
  define({
    option: 'labels',
    toml: 'labels',
    aliases: [],
    env: ['SANDBOX_LABELS'],
    type: 'string table',
    defaultValue: {},
    defaultText: '{}',
    parse: (raw, fromEnvironment) => stringMap(raw, fromEnvironment, checkLabelKey),
    description: 'Extra labels on the derived image (environment: NAME=VALUE,... or JSON).',
  }),
  define({
    option: 'workspaceBase',
    toml: 'workspace_base',
    aliases: [{ table: 'core', key: 'workspace_base' }],
    env: ['SANDBOX_WORKSPACE_BASE', 'WORKSPACE_BASE'],
    type: 'path',
    defaultValue: undefined,
    defaultText: 'unset',
    parse: (raw) => toText(raw),
    description: 'Host directory the host application mounts as the workspace; stored for it, unused by the build.',
  }),
  define({
    option: 'persistSandbox',
    toml: 'persist_sandbox',
    aliases: [{ table: 'core', key: 'persist_sandbox' }],
    env: ['SANDBOX_PERSIST_SANDBOX', 'PERSIST_SANDBOX'],
    type: 'boolean',
    defaultValue: false,
    defaultText: 'false',
    parse: toBoolean,
    description: 'Whether the host application keeps sandboxes between sessions; stored for it, unused by the build.',
  }),
  define({
    option: 'buildNetwork',
    toml: 'build_network',
    aliases: [],
    env: ['SANDBOX_BUILD_NETWORK'],
    type: 'network name',
    defaultValue: undefined,
    defaultText: "the engine's default",
    parse: (raw) => optionalText(raw, checkNetworkMode),
    description: 'Network of build containers, such as "host".',
  }),
  define({
    option: 'timeoutMs',
    toml: 'timeout_ms',
    aliases: [],
    env: ['SANDBOX_TIMEOUT_MS'],
    type: 'integer (ms)',
    defaultValue: 0,
    defaultText: '0 (no limit)',
    parse: (raw) => toInteger(raw, 0, Number.MAX_SAFE_INTEGER),
    description: 'Maximum time for one ensure, in milliseconds; 0 means no limit.',
  }),
  define({
    option: 'lockTimeoutMs',
    toml: 'lock_timeout_ms',
    aliases: [],
    env: ['SANDBOX_LOCK_TIMEOUT_MS'],
    type: 'integer (ms)',
    defaultValue: 1_800_000,
    defaultText: '1800000 (30 minutes)',
    parse: (raw) => toInteger(raw, 0, Number.MAX_SAFE_INTEGER),
    description: "Maximum wait for another process's build of the same image, in milliseconds.",
  }),
] as readonly KeyDefinition[];

/** Environment variable naming the config file. */
export const CONFIG_FILE_ENV = 'SANDBOX_IMAGE_CONFIG';
