import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, copyConsumerFiles, createPackedProject, packageVersion, type PackedProject } from './packed-project.js';

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** An engine address where nothing listens: the commands below must not need an engine. */
const NO_ENGINE = { DOCKER_HOST: 'unix:///tmp/sandbox-image-pack-no-engine.sock' };

/**
 * A CommonJS consumer, type-checked against the .d.cts declarations. It is written here, not
 * kept as a .cts file, because the repository's own type-check compiles test/ as ESM.
 */
const CJS_CONSUMER = `import library = require('sandbox-image');

export const ensure: typeof library.ensureSandboxImage = library.ensureSandboxImage;
export const code: library.SandboxImageErrorCode = 'ENGINE_UNAVAILABLE';
`;

let project: PackedProject;

beforeAll(async () => {
  project = await createPackedProject('pack');
  copyConsumerFiles(project, ['esm.mjs', 'cjs.cjs', 'consumer.ts', 'tsconfig.node16.json', 'tsconfig.bundler.json']);
  writeFileSync(join(project.directory, 'consumer-cjs.cts'), CJS_CONSUMER);
}, 600_000);

afterAll(() => project?.remove());

describe('packed tarball', () => {
  it('contains dist, docs and no sources', () => {
    const files = project.tarballFiles;
    for (const expected of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli.js', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      expect(files).toContain(`package/${expected}`);
    }
    expect(files.filter((file) => /^package\/(src|test|examples|docs|bench|scripts)\//.test(file))).toEqual([]);
  });

  it('imports from ESM with one copy per format', async () => {
    const { stdout } = await project.run('node', ['esm.mjs']);
    const found = JSON.parse(stdout) as Record<string, unknown>;
    expect(found.ensureSandboxImage).toBe('function');
    expect(found.SandboxImageManager).toBe('function');
    expect(found.version).toBe(packageVersion());
    expect(found.name).toMatch(/^localhost\/sandbox-image:ubuntu-24\.04-[0-9a-f]{20}$/);
    expect(found.crossCopyBrand).toBe(true);
    expect(found.sameCopy).toBe(false);
  });

  it('requires from CJS', async () => {
    const { stdout } = await project.run('node', ['cjs.cjs']);
    const found = JSON.parse(stdout) as Record<string, string>;
    const fromEsm = JSON.parse((await project.run('node', ['esm.mjs'])).stdout) as Record<string, string>;
    expect(found.name).toBe(fromEsm.name);
    expect(found.ensureSandboxImage).toBe('function');
    expect(found.SandboxImageManager).toBe('function');
    expect(found.version).toBe(packageVersion());
    expect(found.firstLine).toBe('FROM docker.io/library/debian:bookworm-slim');
    expect(found.resolvedFrom).toBe(join(project.directory, 'node_modules', 'sandbox-image', 'dist', 'index.cjs'));
  });

  it.each(['tsconfig.node16.json', 'tsconfig.bundler.json'])('type-checks a consumer with %s', async (tsconfig) => {
    const result = await project.run('node', [TSC, '-p', tsconfig]).catch((error: { stdout?: string; message: string }) => ({
      stdout: error.stdout ?? error.message,
      stderr: '',
    }));
    expect(result.stdout).toBe('');
  });

  it('reports a type error in a consumer', async () => {
    // Proves that the type-check above can fail: the declarations reject a string UID.
    writeFileSync(join(project.directory, 'broken.ts'), "import type { SandboxConfigInput } from 'sandbox-image';\nexport const config: SandboxConfigInput = { userId: 'root' };\n");
    const args = [TSC, '--noEmit', '--strict', '--skipLibCheck', '--module', 'esnext', '--moduleResolution', 'bundler', '--target', 'es2022', 'broken.ts'];
    const output = await project.run('node', args).then(
      () => 'tsc passed',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    expect(output).toContain("Type 'string' is not assignable to type 'number'");
  });

  it('runs the CLI help through npx', async () => {
    const { stdout } = await project.run('npx', ['--no-install', 'sandbox-image', '--help']);
    expect(stdout.startsWith('Usage: sandbox-image <command>')).toBe(true);
  });

  it('prints a derived name with no engine', async () => {
    const { stdout, stderr } = await project.run('npx', ['--no-install', 'sandbox-image', 'name', 'ubuntu:24.04', '--no-config'], NO_ENGINE);
    const expected = execFileSync('node', [join(REPO_ROOT, 'dist', 'cli.js'), 'name', 'ubuntu:24.04', '--no-config'], { encoding: 'utf8' });
    expect(stdout).toBe(expected);
    expect(stdout).toMatch(/^localhost\/sandbox-image:ubuntu-24\.04-[0-9a-f]{20}\n$/);
    expect(stderr).toBe('');
  });

  it('renders a Dockerfile with no engine', async () => {
    const { stdout } = await project.run(join('node_modules', '.bin', 'sandbox-image'), ['render', 'ubuntu:24.04', '--no-config'], NO_ENGINE);
    expect(stdout.split('\n')[0]).toBe('FROM docker.io/library/ubuntu:24.04');
  });

  it('exits 2 on a usage error', async () => {
    const exitCode = await project.run('npx', ['--no-install', 'sandbox-image', 'frobnicate']).then(
      () => 0,
      (error: { code?: number }) => error.code,
    );
    expect(exitCode).toBe(2);
  });
});
