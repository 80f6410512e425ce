import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt } from '../pack/packed-project.js';
import { createTestDocker, engineAvailable, engineSkipReason, removeRepository, testEngineKind, uniqueRepository } from '../support/engine.js';

const execFileAsync = promisify(execFile);
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const VITEST = join(REPO_ROOT, 'node_modules', '.bin', 'vitest');

/**
 * The environment of an example: this process's, without the variables that tell vitest it
 * runs inside a vitest worker, without colors, and with its own image repository.
 */
function exampleEnvironment(repository: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('VITEST') && !['NODE_ENV', 'TEST', 'FORCE_COLOR'].includes(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', SANDBOX_IMAGE_REPOSITORY: repository };
}

async function runExample(file: string, args: string[], repository: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, {
      cwd: REPO_ROOT,
      env: exampleEnvironment(repository),
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.skipIf(!engineAvailable)(`examples on ${testEngineKind} ${engineSkipReason}`, () => {
  const docker = createTestDocker();
  const repositories: string[] = [];
  const repository = (label: string) => {
    const name = uniqueRepository(label);
    repositories.push(name);
    return name;
  };

  beforeAll(() => ensureBuilt(), 600_000);

  afterAll(async () => {
    for (const name of repositories) await removeRepository(docker, name);
  });

  it('runs host-app as the sandbox user', async () => {
    const run = await runExample(TSX, ['examples/host-app.ts', 'debian:bookworm-slim'], repository('example-host'));
    expect(run.stderr).not.toMatch(/^\w*Error: /m);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('uid=1000(sandbox) gid=1000(sandbox)');
    expect(run.stdout).toContain('home=/home/sandbox pwd=/workspace');
    expect(run.stdout.trim().split('\n').at(-1)).toBe('container removed');

    const id = /^container: ([0-9a-f]{12})$/m.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    const left = await docker.listContainers({ all: true, filters: JSON.stringify({ id: [id] }) });
    expect(left).toEqual([]);
  });

  it('runs the vitest globalSetup example', async () => {
    const run = await runExample(VITEST, ['run', '--root', 'examples/vitest-global-setup'], repository('example-vitest'));
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/Test Files {2}2 passed/);
    expect(output).toMatch(/Tests {2}3 passed/);
    // One ensure for the whole run, whatever the number of test files.
    expect(output.match(/global setup: (built|reused) /g)).toHaveLength(1);
    expect(run.code).toBe(0);
  });

  it('builds the Node.js recipe', async () => {
    const run = await runExample(TSX, ['examples/nodejs-recipe/check-node.ts'], repository('example-nodejs'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^image: \S+:debian-bookworm-slim-[0-9a-f]{20} \(built\)$/m);
    expect(run.stdout).toMatch(/^node v\d+\.\d+\.\d+ as sandbox \(uid 1001\), NODE_ENV=development$/m);
  });
});
