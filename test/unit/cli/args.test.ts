import { describe, expect, it } from 'vitest';
import { COMMANDS, UsageError, parseCommandLine } from '../../../src/cli/args.js';

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

describe('parseCommandLine', () => {
  it('reads command, base image and ensure options', () => {
    const line = parseCommandLine(['ensure', 'ubuntu:24.04', '--rebuild', 'always', '--pull=never', '--timeout', '90.5', '--push', '--json', '-q']);
    expect(line.command).toBe('ensure');
    expect(line.baseImage).toBe('ubuntu:24.04');
    expect(line.rebuild).toBe('always');
    expect(line.pull).toBe('never');
    expect(line.timeoutSeconds).toBe(90.5);
    expect(line.push).toBe(true);
    expect(line.json).toBe(true);
    expect(line.quiet).toBe(true);
  });

  it('applies defaults when options are absent', () => {
    const line = parseCommandLine(['name']);
    expect(line).toMatchObject({ command: 'name', baseImage: undefined, configFile: undefined, json: false, quiet: false, help: false, version: false });
    expect(line.rebuild).toBeUndefined();
    expect(line.keep).toBeUndefined();
  });

  it('reads --config and --no-config', () => {
    expect(parseCommandLine(['config', '--config', 'a.toml']).configFile).toBe('a.toml');
    expect(parseCommandLine(['config', '--no-config']).configFile).toBe(false);
    expect(usageMessage(['config', '--config', 'a.toml', '--no-config'])).toContain('cannot be used together');
    expect(usageMessage(['config', '--config='])).toContain('needs a file path');
  });

  it('reads prune options', () => {
    const line = parseCommandLine(['prune', '--keep', '2', '--older-than', '48', '--dry-run', '--repository', 'localhost/agents']);
    expect(line.keep).toBe(2);
    expect(line.olderThanHours).toBe(48);
    expect(line.dryRun).toBe(true);
    expect(line.repository).toBe('localhost/agents');
    expect(parseCommandLine(['ls', '--repository=localhost/agents']).repository).toBe('localhost/agents');
    expect(usageMessage(['prune', '--repository='])).toContain('--repository needs a repository name');
  });

  it('accepts options before the command', () => {
    const line = parseCommandLine(['--json', 'name', 'python:3.12']);
    expect(line.command).toBe('name');
    expect(line.json).toBe(true);
  });

  it('treats help COMMAND as COMMAND --help', () => {
    expect(parseCommandLine(['help', 'prune'])).toMatchObject({ command: 'prune', help: true });
    expect(parseCommandLine(['help'])).toMatchObject({ command: undefined, help: true });
    expect(parseCommandLine(['ls', '-h'])).toMatchObject({ command: 'ls', help: true });
    expect(usageMessage(['help', 'build'])).toContain('Unknown command "build"');
  });

  it('rejects unknown commands and options', () => {
    expect(usageMessage(['build'])).toBe(`Unknown command "build". Commands are ${COMMANDS.join(', ')}.`);
    expect(usageMessage(['ensure', '--frobnicate'])).toContain("'--frobnicate'");
  });

  it('rejects options of other commands', () => {
    expect(usageMessage(['name', '--keep', '2'])).toBe("Option --keep does not apply to name; see 'sandbox-image name --help'.");
    expect(usageMessage(['prune', '--rebuild', 'always'])).toContain('--rebuild does not apply to prune');
    expect(usageMessage(['render', '--push'])).toContain('--push does not apply to render');
    expect(usageMessage(['ensure', '--repository', 'x'])).toContain('--repository does not apply to ensure');
  });

  it('rejects misplaced positional arguments', () => {
    expect(usageMessage(['ls', 'ubuntu'])).toContain('ls takes no BASE_IMAGE');
    expect(usageMessage(['ensure', 'a', 'b'])).toContain('"b"');
  });

  it.each([
    [['ensure', '--rebuild', 'sometimes'], 'Invalid value "sometimes" for --rebuild: expected one of if-stale, never, always.'],
    [['ensure', '--pull', 'later'], 'Invalid value "later" for --pull: expected one of missing, always, never.'],
    [['ensure', '--timeout=-1'], 'Invalid value "-1" for --timeout: expected a non-negative number.'],
    [['ensure', '--timeout', ''], 'Invalid value "" for --timeout: expected a non-negative number.'],
    [['prune', '--keep', '1.5'], 'Invalid value "1.5" for --keep: expected a non-negative integer.'],
    [['prune', '--older-than', 'soon'], 'Invalid value "soon" for --older-than: expected a non-negative number.'],
  ])('rejects invalid value in %j', (argv, message) => {
    expect(usageMessage(argv)).toBe(message);
  });

  it.each([
    [['name', 'Debian:12'], 'Invalid BASE_IMAGE "Debian:12": repository name "Debian" must be lowercase. Write it as "debian".'],
    [['ensure', ''], 'Invalid BASE_IMAGE "": the reference is empty. Name an image such as `debian:bookworm-slim`.'],
    [['ls', '--repository', 'Bad Repo'], 'Invalid value "Bad Repo" for --repository: character " " (U+0020) at position 4'],
    [['prune', '--repository', 'localhost/x:1'], 'Invalid value "localhost/x:1" for --repository: expected a repository without tag or digest'],
  ])('rejects invalid image name in %j', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });

  it('accepts valid image names', () => {
    expect(parseCommandLine(['render', 'localhost:5000/x:tag']).baseImage).toBe('localhost:5000/x:tag');
    expect(parseCommandLine(['ls', '--repository', 'localhost/sandbox-image']).repository).toBe('localhost/sandbox-image');
  });

  it('rejects an option without its value', () => {
    expect(usageMessage(['ensure', '--rebuild'])).toContain('--rebuild');
  });
});
