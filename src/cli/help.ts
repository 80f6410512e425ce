/** Help texts of the `sandbox-image` program and its commands. */
export const PROGRAM_HELP = `Usage: sandbox-image <command> [options]

Derive, name, reuse and build sandbox images from any base image.

Commands:
  ensure [BASE_IMAGE]   Build the sandbox image unless a fresh one exists; print its name
  render [BASE_IMAGE]   Print the Dockerfile of the sandbox image (no engine needed)
  name [BASE_IMAGE]     Print the derived image name (no engine needed)
  config                Print the resolved configuration and the source of each value
  ls                    List derived images on the engine
  prune                 Remove derived images

Global options:
  --config FILE         Config file to read (default: $SANDBOX_IMAGE_CONFIG, else ./config.toml)
  --no-config           Read no config file
  --json                Print machine-readable JSON on stdout
  --quiet, -q           Print no progress on stderr
  --help, -h            Show help; \`sandbox-image <command> --help\` shows a command's options
  --version             Print the version

Exit codes: 0 success, 1 failure, 2 usage error.
Set DEBUG=sandbox-image* to log every decision on stderr.
`;

export const COMMAND_HELP: Record<string, string> = {
  ensure: `Usage: sandbox-image ensure [BASE_IMAGE] [options]

Builds the sandbox image for BASE_IMAGE (default: the configured base image) unless a fresh
one exists, and prints its name on stdout. Progress goes to stderr: a live display on a
terminal, plain lines otherwise.

Options:
  --config FILE, --no-config, --json, --quiet   as for every command
  --push                Push the image to its repository after a build
  --rebuild POLICY      if-stale (default), never or always
  --pull POLICY         missing (default), always or never
  --timeout SECONDS     Give up after this many seconds
`,
  render: `Usage: sandbox-image render [BASE_IMAGE] [options]

Prints the Dockerfile for BASE_IMAGE with the resolved configuration. Needs no engine.
With --json, prints { dockerfile, fingerprint, imageName, files }.
`,
  name: `Usage: sandbox-image name [BASE_IMAGE] [options]

Prints the derived image name for BASE_IMAGE with the resolved configuration. Needs no engine.
`,
  config: `Usage: sandbox-image config [options]

Prints every configuration value and where it came from (default, file and line,
environment variable, or code). With --json, prints { values, sources, configFile }.
`,
  ls: `Usage: sandbox-image ls [options]

Lists the derived images on the engine (found by the sandbox-image labels), newest first.
`,
  prune: `Usage: sandbox-image prune [options]

Removes derived images. Images without the sandbox-image labels are never touched.

Options:
  --keep N              Keep the N newest images of each base image (default: 0)
  --older-than HOURS    Only remove images older than this many hours
  --dry-run             Print what would be removed, remove nothing
`,
};
