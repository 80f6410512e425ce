import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The repository root, where package.json and dist/ are. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** A fresh project outside the repository with the packed tarball of this package installed. */
export interface PackedProject {
  directory: string;
  /** Paths inside the tarball, such as `package/dist/index.js`. */
  tarballFiles: string[];
  /** Runs a program in the project directory and returns its output; rejects on a non-zero exit. */
  run(file: string, args: string[], env?: Record<string, string | undefined>): Promise<{ stdout: string; stderr: string }>;
  remove(): void;
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

async function runIn(directory: string, file: string, args: string[], env: Record<string, string | undefined> = {}) {
  return execFileAsync(file, args, {
    cwd: directory,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
}

/** Builds dist/ when it is missing; an existing dist/ is used as it is, so build first after changing src/. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(join(REPO_ROOT, 'dist', 'index.js')) && existsSync(join(REPO_ROOT, 'dist', 'cli.js'))) return;
  await runIn(REPO_ROOT, 'npm', ['run', 'build']);
}

/**
 * Packs the package with `npm pack` and installs the tarball into a new project in the
 * temporary directory, as a user would. Dependencies come from the npm cache when it has
 * them (`--prefer-offline`), else from the registry. `npm pack` runs with
 * `--ignore-scripts` so that its `prepack` build does not rewrite dist/ while other tests
 * run the CLI from it.
 */
export async function createPackedProject(label: string): Promise<PackedProject> {
  await ensureBuilt();
  const directory = mkdtempSync(join(tmpdir(), `sandbox-image-${label}-`));
  const packed = await runIn(REPO_ROOT, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', directory]);
  const [result] = JSON.parse(packed.stdout) as PackResult[];
  if (!result) throw new Error(`npm pack printed no result: ${packed.stdout}`);

  writeFileSync(join(directory, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  await runIn(directory, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(directory, result.filename)]);

  return {
    directory,
    tarballFiles: result.files.map((file) => `package/${file.path}`),
    run: (file, args, env) => runIn(directory, file, args, env),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** Copies files from test/pack/consumer/ into the project. */
export function copyConsumerFiles(project: PackedProject, names: string[]): void {
  for (const name of names) cpSync(join(import.meta.dirname, 'consumer', name), join(project.directory, name));
}

/** The version in this repository's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
