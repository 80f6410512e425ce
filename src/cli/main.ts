import { isSandboxImageError } from '../errors.js';
import { VERSION } from '../version.js';
import { UsageError, parseCommandLine, type CommandLine } from './args.js';
import {
  CommandFailure,
  configCommand,
  ensureCommand,
  listCommand,
  nameCommand,
  pruneCommand,
  renderCommand,
  type CommandIo,
} from './commands.js';
import { COMMAND_HELP, PROGRAM_HELP } from './help.js';

export type { CommandIo } from './commands.js';

/** The command succeeded. */
export const EXIT_SUCCESS = 0;
/** The command failed: invalid configuration, engine unreachable, pull or build failed. */
export const EXIT_FAILURE = 1;
/** The command line could not be understood. */
export const EXIT_USAGE = 2;

async function dispatch(line: CommandLine & { command: NonNullable<CommandLine['command']> }, io: CommandIo): Promise<void> {
  switch (line.command) {
    case 'ensure': return ensureCommand(line, io);
    case 'render': return renderCommand(line, io);
    case 'name': return nameCommand(line, io);
    case 'config': return configCommand(line, io);
    case 'ls': return listCommand(line, io);
    case 'prune': return pruneCommand(line, io);
  }
}

/** The stderr text for a failure: one line with the reason, then any build output tail the message carries. */
function describeFailure(error: unknown): string {
  if (isSandboxImageError(error)) return `sandbox-image: error [${error.code}]: ${error.message}\n`;
  if (error instanceof CommandFailure) return `sandbox-image: ${error.message}\n`;
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `sandbox-image: unexpected error: ${text}\nThis is a bug in sandbox-image; please report it with the lines above.\n`;
}

/**
 * Runs the `sandbox-image` program with the arguments after the program name, and returns
 * its exit code: {@link EXIT_SUCCESS}, {@link EXIT_FAILURE} or {@link EXIT_USAGE}. Results
 * go to `io.stdout`; progress, usage errors and failures go to `io.stderr` and the exit code,
 * so the returned promise rejects only when writing to `io` itself fails.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`sandbox-image: ${(error as Error).message}\nRun 'sandbox-image --help' for usage.\n`);
    return EXIT_USAGE;
  }

  if (line.help) {
    io.stdout.write(line.command ? COMMAND_HELP[line.command] : PROGRAM_HELP);
    return EXIT_SUCCESS;
  }
  if (line.version) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_SUCCESS;
  }
  if (line.command === undefined) {
    io.stderr.write(`sandbox-image: a command is required.\n\n${PROGRAM_HELP}`);
    return EXIT_USAGE;
  }

  try {
    await dispatch({ ...line, command: line.command }, io);
    return EXIT_SUCCESS;
  } catch (error) {
    io.stderr.write(describeFailure(error));
    return EXIT_FAILURE;
  }
}
