import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/args.js';
import { COMMAND_HELP, PROGRAM_HELP } from '../../../src/cli/help.js';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE, main } from '../../../src/cli/main.js';
import { VERSION } from '../../../src/version.js';
import { fakeIo } from './fake-io.js';

/** An engine address where nothing listens, so engine commands fail fast with ENOENT. */
const NO_ENGINE = { DOCKER_HOST: `unix://${join(tmpdir(), 'sandbox-image-no-engine-here.sock')}` };

describe('main exit codes', () => {
  it('exits 0 with program help on --help', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toBe(PROGRAM_HELP);
    expect(io.err()).toBe('');
  });

  it.each(COMMANDS)('exits 0 with help of %s', async (command) => {
    const io = fakeIo();
    expect(await main([command, '--help'], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toBe(COMMAND_HELP[command]);
    const viaHelp = fakeIo();
    expect(await main(['help', command], viaHelp)).toBe(EXIT_SUCCESS);
    expect(viaHelp.out()).toBe(COMMAND_HELP[command]);
  });

  it('exits 0 with the version', async () => {
    const io = fakeIo();
    expect(await main(['--version'], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toBe(`${VERSION}\n`);
  });

  it('exits 2 without a command, help on stderr', async () => {
    const io = fakeIo();
    expect(await main([], io)).toBe(EXIT_USAGE);
    expect(io.out()).toBe('');
    expect(io.err()).toContain('a command is required');
    expect(io.err()).toContain(PROGRAM_HELP);
  });

  it.each([[['frobnicate']], [['ensure', '--nope']], [['ensure', '--rebuild', 'maybe']], [['name', '--dry-run']]])(
    'exits 2 on usage error %j',
    async (argv) => {
      const io = fakeIo();
      expect(await main(argv, io)).toBe(EXIT_USAGE);
      expect(io.out()).toBe('');
      expect(io.err()).toMatch(/^sandbox-image: .+\nRun 'sandbox-image --help' for usage\.\n$/);
    },
  );

  it('exits 1 when no engine answers', async () => {
    const io = fakeIo({ env: NO_ENGINE });
    expect(await main(['ensure', 'debian:bookworm-slim', '--no-config', '--quiet'], io)).toBe(EXIT_FAILURE);
    expect(io.out()).toBe('');
    const lines = io.err().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sandbox-image: error \[ENGINE_UNAVAILABLE\]: /);
    expect(lines[0]).toContain(NO_ENGINE.DOCKER_HOST);
    expect(lines[0]).toContain('Start a Docker-compatible engine');
  });

  it('exits 1 for ls and prune when no engine answers', async () => {
    for (const command of ['ls', 'prune']) {
      const io = fakeIo({ env: NO_ENGINE });
      expect(await main([command, '--no-config'], io)).toBe(EXIT_FAILURE);
      expect(io.err()).toContain('[ENGINE_UNAVAILABLE]');
    }
  });

  it('exits 1 with the config error and its source', async () => {
    const io = fakeIo({ env: { SANDBOX_USER_ID: 'abc' } });
    expect(await main(['name', '--no-config'], io)).toBe(EXIT_FAILURE);
    expect(io.err()).toMatch(/^sandbox-image: error \[INVALID_CONFIG\]: .*SANDBOX_USER_ID/);
  });
});

describe('main output formats', () => {
  it('prints only the derived name for name', async () => {
    const io = fakeIo();
    expect(await main(['name', 'ubuntu:24.04', '--no-config'], io)).toBe(EXIT_SUCCESS);
    expect(io.out()).toMatch(/^localhost\/sandbox-image:ubuntu-24\.04-[0-9a-f]{20}\n$/);
    expect(io.err()).toBe('');
  });

  it('prints name as JSON', async () => {
    const io = fakeIo();
    await main(['name', 'ubuntu:24.04', '--no-config', '--json'], io);
    const parsed = JSON.parse(io.out()) as Record<string, string>;
    expect(parsed.baseImage).toBe('docker.io/library/ubuntu:24.04');
    expect(parsed.imageName).toMatch(/^localhost\/sandbox-image:ubuntu-24\.04-/);
    expect(parsed.fingerprint).toMatch(/^[0-9a-f]+$/);
  });

  it('renders a Dockerfile from the base image', async () => {
    const io = fakeIo();
    expect(await main(['render', 'ubuntu:24.04', '--no-config'], io)).toBe(EXIT_SUCCESS);
    expect(io.out().split('\n')[0]).toBe('FROM docker.io/library/ubuntu:24.04');
    expect(io.out()).toMatch(/^USER 1000:1000$/m);
  });

  it('renders JSON with the context files', async () => {
    const io = fakeIo();
    await main(['render', 'ubuntu:24.04', '--no-config', '--json'], io);
    const parsed = JSON.parse(io.out()) as { dockerfile: string; files: { path: string; mode: string }[] };
    expect(parsed.dockerfile.startsWith('FROM docker.io/library/ubuntu:24.04')).toBe(true);
    expect(parsed.files.map((file) => file.path)).toContain('.sandbox-image/provision.sh');
  });

  it('needs no engine for render, name and config', async () => {
    const env = { DOCKER_HOST: 'not-an-address', DOCKER_CONTEXT: 'no-such-context' };
    for (const argv of [['render', 'alpine:3.20'], ['name', 'alpine:3.20'], ['config']]) {
      const io = fakeIo({ env });
      expect(await main([...argv, '--no-config'], io)).toBe(EXIT_SUCCESS);
      expect(io.err()).toBe('');
    }
  });

  it('reads a config file given with --config', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sandbox-image-cli-'));
    const file = join(directory, 'config.toml');
    writeFileSync(file, '[core]\nsandbox_user_id = "1234"\n');
    const io = fakeIo();
    await main(['render', 'ubuntu:24.04', '--config', file], io);
    expect(io.out()).toMatch(/^USER 1234:1234$/m);
    const named = fakeIo();
    await main(['name', 'ubuntu:24.04', '--config', file], named);
    const defaultName = fakeIo();
    await main(['name', 'ubuntu:24.04', '--no-config'], defaultName);
    expect(named.out()).not.toBe(defaultName.out());
  });

  it('reads config.toml from the working directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sandbox-image-cli-'));
    writeFileSync(join(directory, 'config.toml'), '[core]\nsandbox_user_id = "4321"\n');
    const io = fakeIo({ cwd: directory });
    await main(['config'], io);
    expect(io.out()).toContain(`# config file: ${join(directory, 'config.toml')}`);
    expect(io.out()).toMatch(/^userId = 4321 {2}# .*config\.toml.*2/m);
  });

  it('prints config as JSON with sources', async () => {
    const io = fakeIo({ env: { SANDBOX_USER_ID: '1500' } });
    await main(['config', '--no-config', '--json'], io);
    const parsed = JSON.parse(io.out()) as { values: { userId: number }; sources: { userId: string }; configFile?: string };
    expect(parsed.values.userId).toBe(1500);
    expect(parsed.sources.userId).toBe('env:SANDBOX_USER_ID');
    expect(parsed.configFile).toBeUndefined();
  });
});
