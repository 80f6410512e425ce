import { parseArgs } from 'node:util';

/** A command line that could not be understood; the program exits with code 2. */
export class UsageError extends Error {}

export const COMMANDS = ['ensure', 'render', 'name', 'config', 'ls', 'prune'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** The parsed command line. */
export interface CommandLine {
  command: CommandName | undefined;
  baseImage: string | undefined;
  configFile: string | false | undefined;
  json: boolean;
  quiet: boolean;
  help: boolean;
  version: boolean;
  push: boolean;
  rebuild: string | undefined;
  pull: string | undefined;
  timeoutSeconds: number | undefined;
  keep: number | undefined;
  olderThanHours: number | undefined;
  dryRun: boolean;
}

const OPTIONS = {
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  push: { type: 'boolean' },
  rebuild: { type: 'string' },
  pull: { type: 'string' },
  timeout: { type: 'string' },
  keep: { type: 'string' },
  'older-than': { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

function toNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new UsageError(`--${option} needs a non-negative number, not ${JSON.stringify(value)}.`);
  return number;
}

/**
 * Parses `sandbox-image <command> [BASE_IMAGE] [options]`.
 *
 * @throws {UsageError} for an unknown command or option, or a missing or invalid option value.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, baseImage, ...extra] = positionals;
  if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`Unknown command ${JSON.stringify(command)}. Commands are ${COMMANDS.join(', ')}.`);
  }
  const takesBase = command === 'ensure' || command === 'render' || command === 'name';
  if ((baseImage !== undefined && !takesBase) || extra.length > 0) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(takesBase ? extra[0] : baseImage)} for ${command}.`);
  }
  if (values.config !== undefined && values['no-config']) throw new UsageError('--config and --no-config cannot be used together.');

  return {
    command: command as CommandName | undefined,
    baseImage,
    configFile: values['no-config'] ? false : values.config,
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    push: values.push ?? false,
    rebuild: values.rebuild,
    pull: values.pull,
    timeoutSeconds: toNumber('timeout', values.timeout),
    keep: toNumber('keep', values.keep),
    olderThanHours: toNumber('older-than', values['older-than']),
    dryRun: values['dry-run'] ?? false,
  };
}
