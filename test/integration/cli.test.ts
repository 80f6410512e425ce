import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt } from '../pack/packed-project.js';
import { createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository } from '../support/engine.js';

const execFileAsync = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const BASE = 'debian:bookworm-slim';
/** util-linux `script` runs a command under a pseudo-terminal without a native Node.js module. */
const hasScript = existsSync('/usr/bin/script');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with stdout and stderr as pipes. */
async function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync('node', [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Runs the built CLI under a pseudo-terminal and returns what the terminal received (stdout and stderr). */
async function runCliOnTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const command = ['node', CLI, ...args].map((part) => `'${part}'`).join(' ');
  try {
    const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...env, COLUMNS: '120', LINES: '40' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    return stdout;
  } catch (error) {
    // The terminal's output carries the CLI's own error line, which the bare failure lacks.
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${(error as Error).message}\nterminal output:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

describe.skipIf(!engineAvailable)(`sandbox-image CLI on ${testEngineKind} ${engineSkipReason}`, () => {
  const docker = createTestDocker();
  const repository = uniqueRepository('cli');
  const env = { SANDBOX_IMAGE_REPOSITORY: repository };
  let expectedName = '';

  beforeAll(async () => {
    await ensureBuilt();
    expectedName = execFileSync('node', [CLI, 'name', BASE, '--no-config'], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
  }, 600_000);

  afterAll(() => removeRepository(docker, repository));

  it('prints only the image name under a pipe', async () => {
    expect(expectedName.startsWith(`${repository}:debian-bookworm-slim-`)).toBe(true);

    const run = await runCli(['ensure', BASE, '--no-config'], env);
    expect(run.stderr).not.toMatch(/^sandbox-image: error/m);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${expectedName}\n`);

    const lines = run.stderr.split('\n').filter(Boolean);
    expect(run.stderr).not.toContain('\u001b');
    expect(lines.every((line) => line.startsWith('sandbox-image: ') || line.startsWith('  '))).toBe(true);
    expect(lines).toContain(`sandbox-image: building ${expectedName}`);
    expect(lines.some((line) => /^sandbox-image: step 1\/\d+: FROM /.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(new RegExp(`^sandbox-image: built ${expectedName.replace(/[.]/g, '\\.')} in \\d+\\.\\d s$`));
  });

  it('reuses the image and prints JSON', async () => {
    const run = await runCli(['ensure', BASE, '--no-config', '--json'], env);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { imageName: string; built: boolean; imageId: string };
    expect(result.imageName).toBe(expectedName);
    expect(result.built).toBe(false);
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.stderr.split('\n').filter(Boolean).at(-1)).toMatch(/^sandbox-image: reused .* in \d+\.\d s$/);
  });

  it('prints nothing on stderr with --quiet', async () => {
    const run = await runCli(['ensure', BASE, '--no-config', '--quiet'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${expectedName}\n`);
    expect(run.stderr).toBe('');
  });

  it('lists the built image with ls', async () => {
    const run = await runCli(['ls', '--json', '--no-config'], env);
    expect(run.code).toBe(0);
    const images = JSON.parse(run.stdout) as { repoTags: string[] }[];
    expect(images.some((image) => image.repoTags.includes(expectedName))).toBe(true);

    const own = await runCli(['ls', '--repository', repository, '--no-config'], env);
    expect(own.code).toBe(0);
    expect(own.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(own.stdout.startsWith(`${expectedName}  sha256:`)).toBe(true);
  });

  it.skipIf(!hasScript)('shows a live display on a terminal', async () => {
    const screen = await runCliOnTerminal(['ensure', BASE, '--no-config', '--rebuild', 'always'], env);
    // The live region is redrawn in place: carriage return, then erase to the end of the screen.
    expect(screen).toContain('\r\u001b[J');
    expect(screen).toMatch(/\[\d+\.\ds\] (building|step \d+\/\d+)/);
    expect(screen).toMatch(/sandbox-image: step 1\/\d+: FROM /);
    expect(screen).toMatch(/sandbox-image: built \S+ in \d+\.\d s/);
    // The result is the last line, after the live region was cleared.
    const lastLine = screen.split(/\r?\n/).filter(Boolean).at(-1);
    expect(lastLine).toBe(expectedName);
  });

  it('prunes only its own repository', async () => {
    const dryRun = await runCli(['prune', '--repository', repository, '--dry-run', '--no-config'], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout.startsWith(`would remove ${expectedName}  `)).toBe(true);
    expect(await docker.getImage(expectedName).inspect()).toBeDefined();

    const pruned = await runCli(['prune', '--repository', repository, '--json', '--no-config'], env);
    expect(pruned.code).toBe(0);
    const result = JSON.parse(pruned.stdout) as { removed: { repoTags: string[] }[]; failed: unknown[] };
    const removedTags = result.removed.flatMap((image) => image.repoTags);
    expect(removedTags).toContain(expectedName);
    // The image that the rebuild above replaced is untagged but still labelled with the repository.
    expect(removedTags.filter((tag) => !tag.startsWith(`${repository}:`) && tag !== '<none>:<none>')).toEqual([]);
    expect(result.failed).toEqual([]);

    const after = await runCli(['ls', '--repository', repository, '--json', '--no-config'], env);
    expect(JSON.parse(after.stdout)).toEqual([]);
  });
});

describe('sandbox-image CLI without an engine', () => {
  beforeAll(() => ensureBuilt(), 600_000);

  it('exits 1 with the address and a fix', async () => {
    const address = `unix:///tmp/sandbox-image-missing-${randomBytes(4).toString('hex')}.sock`;
    const run = await runCli(['ensure', BASE, '--no-config', '--quiet'], { DOCKER_HOST: address });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sandbox-image: error \[ENGINE_UNAVAILABLE\]: No container engine answered at /);
    expect(lines[0]).toContain(address);
    expect(lines[0]).toContain('Start a Docker-compatible engine');
    expect(lines[0]).toContain('DOCKER_HOST');
  });

  it('renders and names with no engine', async () => {
    const env = { DOCKER_HOST: 'unix:///tmp/sandbox-image-missing.sock' };
    const render = await runCli(['render', 'ubuntu:24.04', '--no-config'], env);
    expect(render.code).toBe(0);
    expect(render.stdout.split('\n')[0]).toBe('FROM docker.io/library/ubuntu:24.04');
    const name = await runCli(['name', 'ubuntu:24.04', '--no-config'], env);
    expect(name.code).toBe(0);
    expect(name.stdout).toMatch(/^localhost\/sandbox-image:ubuntu-24\.04-[0-9a-f]{20}\n$/);
  });
});
