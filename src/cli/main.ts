import { isSandboxImageError } from '../errors.js';
import { VERSION } from '../version.js';
import { UsageError, parseCommandLine, type CommandLine } from './args.js';
import {
  configCommand,
  ensureCommand,
  listCommand,
  nameCommand,
  pruneCommand,
  renderCommand,
  type CommandIo,
} from './commands.js';
import { COMMAND_HELP, PROGRAM_HELP } from './help.js';

/** Exit codes of the program. */
export const EXIT_SUCCESS = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

async function dispatch(line: CommandLine, io: CommandIo): Promise<void> {
  switch (line.command) {
    case 'ensure': return ensureCommand(line, io);
    case 'render': return renderCommand(line, io);
    case 'name': return nameCommand(line, io);
    case 'config': return configCommand(line, io);
    case 'ls': return listCommand(line, io);
    case 'prune': return pruneCommand(line, io);
    default: throw new UsageError('A command is required.');
  }
}

/** Runs the program and returns its exit code; failures print one line on stderr. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`sandbox-image: ${(error as Error).message}\nRun 'sandbox-image --help' for usage.\n`);
    return EXIT_USAGE;
  }
  if (line.version) return void io.stdout.write(`${VERSION}\n`), EXIT_SUCCESS;
  if (line.help || line.command === undefined) {
    io.stdout.write(line.command ? COMMAND_HELP[line.command]! : PROGRAM_HELP);
    return line.help ? EXIT_SUCCESS : EXIT_USAGE;
  }

  try {
    await dispatch(line, io);
    return EXIT_SUCCESS;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`sandbox-image: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = isSandboxImageError(error) ? ` [${error.code}]` : '';
    // One line for the reason; a build failure's output tail follows on the next lines.
    io.stderr.write(`sandbox-image: error${code}: ${message}\n`);
    return EXIT_FAILURE;
  }
}
