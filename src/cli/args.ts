import { parseArgs } from 'node:util';
import { isSandboxImageError } from '../errors.js';
import { parseImageReference, type ImageReference } from '../reference/parse.js';

/** A command line that could not be understood; the program exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const COMMANDS = ['ensure', 'render', 'name', 'config', 'ls', 'prune'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const REBUILD_POLICIES = ['if-stale', 'never', 'always'] as const;
export const PULL_POLICIES = ['missing', 'always', 'never'] as const;

/** The parsed command line. */
export interface CommandLine {
  /** The command, or `undefined` when none was given (with `--help` or `--version` only). */
  command: CommandName | undefined;
  /** The BASE_IMAGE argument of `ensure`, `render` and `name`. */
  baseImage: string | undefined;
  /** `--config FILE`, `false` for `--no-config`, `undefined` for the default search. */
  configFile: string | false | undefined;
  json: boolean;
  quiet: boolean;
  help: boolean;
  version: boolean;
  push: boolean;
  rebuild: (typeof REBUILD_POLICIES)[number] | undefined;
  pull: (typeof PULL_POLICIES)[number] | undefined;
  timeoutSeconds: number | undefined;
  keep: number | undefined;
  olderThanHours: number | undefined;
  dryRun: boolean;
  /** `--repository REPO` of `ls` and `prune`: only derived images of that repository. */
  repository: string | undefined;
}

const OPTIONS = {
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  push: { type: 'boolean' },
  rebuild: { type: 'string' },
  pull: { type: 'string' },
  timeout: { type: 'string' },
  keep: { type: 'string' },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean' },
  repository: { type: 'string' },
} as const;

export type OptionName = keyof typeof OPTIONS;

export const GLOBAL_OPTIONS: readonly OptionName[] = ['config', 'no-config', 'json', 'quiet', 'help', 'version'];

/** Options that only some commands take, beyond the global ones. */
export const COMMAND_OPTIONS: Record<CommandName, readonly OptionName[]> = {
  ensure: ['push', 'rebuild', 'pull', 'timeout'],
  render: [],
  name: [],
  config: [],
  ls: ['repository'],
  prune: ['keep', 'older-than', 'dry-run', 'repository'],
};

const TAKES_BASE_IMAGE: ReadonlySet<CommandName> = new Set(['ensure', 'render', 'name']);

function isCommand(value: string): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value);
}

function toNumber(option: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  const valid = Number.isFinite(number) && number >= 0 && (!integer || Number.isInteger(number));
  if (!valid) {
    const kind = integer ? 'a non-negative integer' : 'a non-negative number';
    throw new UsageError(`Invalid value ${JSON.stringify(value)} for --${option}: expected ${kind}.`);
  }
  return number;
}

function toChoice<T extends string>(option: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`Invalid value ${JSON.stringify(value)} for --${option}: expected one of ${choices.join(', ')}.`);
}

function rejectForeignOptions(command: CommandName, given: readonly string[]): void {
  const allowed = new Set<string>([...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[command]]);
  const foreign = given.find((option) => !allowed.has(option));
  if (foreign !== undefined) {
    throw new UsageError(`Option --${foreign} does not apply to ${command}; see 'sandbox-image ${command} --help'.`);
  }
}

/**
 * Resolves the command and its BASE_IMAGE from the positional arguments. `help COMMAND` is
 * the same as `COMMAND --help`.
 */
function readPositionals(positionals: readonly string[]): { command: CommandName | undefined; baseImage: string | undefined; help: boolean } {
  const [first, ...rest] = positionals;
  if (first === undefined) return { command: undefined, baseImage: undefined, help: false };
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic !== undefined && !isCommand(topic)) throw unknownCommand(topic);
    if (extra.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])} for help.`);
    return { command: topic, baseImage: undefined, help: true };
  }
  if (!isCommand(first)) throw unknownCommand(first);

  const [baseImage, ...extra] = rest;
  if (baseImage !== undefined && !TAKES_BASE_IMAGE.has(first)) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(baseImage)}: ${first} takes no BASE_IMAGE.`);
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])}: ${first} takes one BASE_IMAGE at most.`);
  return { command: first, baseImage, help: false };
}

function unknownCommand(name: string): UsageError {
  return new UsageError(`Unknown command ${JSON.stringify(name)}. Commands are ${COMMANDS.join(', ')}.`);
}

/**
 * Parses an image name given on the command line, so that an invalid one is a usage error
 * that names the argument, not an option passed in code.
 */
function parseName(text: string, subject: string): ImageReference {
  try {
    return parseImageReference(text);
  } catch (error) {
    if (!isSandboxImageError(error, 'INVALID_REFERENCE')) throw error;
    const reason = error.message.replace(`Invalid image reference ${JSON.stringify(text)}: `, '');
    throw new UsageError(`Invalid ${subject}: ${reason}`);
  }
}

/** Rejects a `--repository` value that is not a repository name without tag or digest. */
function checkRepository(repository: string): void {
  const subject = `value ${JSON.stringify(repository)} for --repository`;
  const reference = parseName(repository, subject);
  if (reference.tag !== undefined || reference.digest !== undefined) {
    throw new UsageError(`Invalid ${subject}: expected a repository without tag or digest, such as localhost/sandbox-image.`);
  }
}

/**
 * Parses `sandbox-image <command> [BASE_IMAGE] [options]`.
 *
 * @throws {UsageError} for an unknown command or option, an option the command does not
 *   take, a missing or invalid option value, or an invalid BASE_IMAGE.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  const { command, baseImage, help } = readPositionals(positionals);
  if (command !== undefined) {
    rejectForeignOptions(command, tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : [])));
  }
  if (values.config !== undefined && values['no-config']) throw new UsageError('--config and --no-config cannot be used together.');
  if (values.config === '') throw new UsageError('--config needs a file path; use --no-config to read no config file.');
  if (values.repository === '') throw new UsageError('--repository needs a repository name, such as localhost/sandbox-image.');
  if (baseImage !== undefined) parseName(baseImage, `BASE_IMAGE ${JSON.stringify(baseImage)}`);
  if (values.repository) checkRepository(values.repository);

  return {
    command,
    baseImage,
    configFile: values['no-config'] ? false : values.config,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    help: help || (values.help ?? false),
    version: values.version ?? false,
    push: values.push ?? false,
    rebuild: toChoice('rebuild', values.rebuild, REBUILD_POLICIES),
    pull: toChoice('pull', values.pull, PULL_POLICIES),
    timeoutSeconds: toNumber('timeout', values.timeout, false),
    keep: toNumber('keep', values.keep, true),
    olderThanHours: toNumber('older-than', values['older-than'], false),
    dryRun: values['dry-run'] ?? false,
    repository: values.repository,
  };
}
