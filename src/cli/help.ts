import type { CommandName } from './args.js';

const GLOBAL_OPTIONS = `Global options:
  --config FILE         Config file to read (default: $SANDBOX_IMAGE_CONFIG, else ./config.toml)
  --no-config           Read no config file
  --json                Print the result as JSON on stdout
  --quiet, -q           Print no progress on stderr; errors are still printed
  --help, -h            Show help
  --version, -V         Print the version`;

const EXIT_CODES = `Exit codes:
  0  success
  1  failure: invalid configuration, engine unreachable, pull or build failed
  2  usage error: unknown command or option, invalid option value`;

/** Help text of the `sandbox-image` program. */
export const PROGRAM_HELP = `Usage: sandbox-image <command> [BASE_IMAGE] [options]

Derive, name, reuse and build sandbox images from any base image.

Commands:
  ensure [BASE_IMAGE]   Build the sandbox image unless a fresh one exists; print its name
  render [BASE_IMAGE]   Print the Dockerfile of the sandbox image (no engine needed)
  name [BASE_IMAGE]     Print the derived image name (no engine needed)
  config                Print the resolved configuration and the source of each value
  ls                    List derived images on the engine
  prune                 Remove derived images from the engine
  help [COMMAND]        Show help for the program or a command

BASE_IMAGE defaults to the configured base image (debian:bookworm-slim unless set).
Results go to stdout; progress and errors go to stderr.

${GLOBAL_OPTIONS}

${EXIT_CODES}

Environment:
  DOCKER_HOST           Engine address, such as unix:///var/run/docker.sock or tcp://host:2375
  SANDBOX_IMAGE_CONFIG  Config file to read instead of ./config.toml
  SANDBOX_*             Config values, such as SANDBOX_USER_ID=1001 (see 'sandbox-image config')
  DEBUG=sandbox-image*  Log every decision on stderr

Examples:
  sandbox-image ensure ubuntu:24.04
  sandbox-image render python:3.12 > Dockerfile
  sandbox-image ensure --json | jq -r .imageName
`;

/** Help texts of the commands, shown by `sandbox-image <command> --help`. */
export const COMMAND_HELP: Record<CommandName, string> = {
  ensure: `Usage: sandbox-image ensure [BASE_IMAGE] [options]

Builds the sandbox image for BASE_IMAGE unless a fresh one exists, and prints its name on
stdout. Progress goes to stderr: on a terminal a live display (build step, pull progress
per layer, elapsed time), otherwise plain lines for each step and each build output line.
A summary line ends it.
With --json, stdout gets { imageName, imageId, built, pulled, baseImage, baseImageId, durationMs }.

Options:
  --push                Push the image to its repository after a build
  --rebuild POLICY      When to rebuild an existing image: if-stale (default), never, always
  --pull POLICY         When to pull the base image: missing (default), always, never
  --timeout SECONDS     Give up after this many seconds (default: no limit)

${GLOBAL_OPTIONS}

${EXIT_CODES}
`,
  render: `Usage: sandbox-image render [BASE_IMAGE] [options]

Prints the Dockerfile of the sandbox image for BASE_IMAGE with the resolved configuration.
Needs no engine. With --json, stdout gets { imageName, fingerprint, dockerfile, files }.

${GLOBAL_OPTIONS}

${EXIT_CODES}
`,
  name: `Usage: sandbox-image name [BASE_IMAGE] [options]

Prints the derived image name for BASE_IMAGE with the resolved configuration. The name
changes whenever the recipe changes. Needs no engine. With --json, stdout gets
{ imageName, baseImage, fingerprint }.

${GLOBAL_OPTIONS}

${EXIT_CODES}
`,
  config: `Usage: sandbox-image config [options]

Prints every configuration value and where it came from: default, file and line,
environment variable, or code. Needs no engine. With --json, stdout gets
{ values, sources, configFile }.

${GLOBAL_OPTIONS}

${EXIT_CODES}
`,
  ls: `Usage: sandbox-image ls [options]

Lists the derived images on the engine, found by their sandbox-image labels, with tags,
image ID, creation time and size. With --json, stdout gets an array of images.

Options:
  --repository REPO     List only images of this repository, such as localhost/sandbox-image

${GLOBAL_OPTIONS}

${EXIT_CODES}
`,
  prune: `Usage: sandbox-image prune [options]

Removes derived images from the engine. Images without the sandbox-image labels are never
touched. Prints one line per removed image.

Options:
  --keep N              Keep the N newest images of each base image (default: 0)
  --older-than HOURS    Remove only images older than this many hours (default: any age)
  --dry-run             Print what would be removed and remove nothing
  --repository REPO     Remove only images of this repository, such as localhost/sandbox-image

${GLOBAL_OPTIONS}

${EXIT_CODES}
`,
};
