import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Options of one `docker build` run. */
export interface CliBuildOptions {
  directory: string;
  tag?: string | undefined;
  noCache?: boolean;
  labels?: Record<string, string>;
  /** Network of RUN steps (`--network`); `undefined` for the engine's default. */
  network?: string | undefined;
}

/** The result of one `docker build` run. */
export interface CliBuildResult {
  imageId: string;
  ms: number;
}

/**
 * The environment of every `docker build` run. DOCKER_BUILDKIT=0 selects the classic builder,
 * the one the library uses through the Engine API, even on machines where the buildx plugin
 * would make BuildKit the default.
 */
const CLI_ENVIRONMENT = { ...process.env, DOCKER_BUILDKIT: '0' };

/**
 * Runs `docker build -q` on a context directory and returns the image ID with the wall time,
 * process start included, as a user running the command would see it.
 */
export function dockerBuild(options: CliBuildOptions): Promise<CliBuildResult> {
  const args = ['build', '-q'];
  if (options.noCache) args.push('--no-cache');
  if (options.tag) args.push('-t', options.tag);
  if (options.network) args.push('--network', options.network);
  for (const [key, value] of Object.entries(options.labels ?? {})) args.push('--label', `${key}=${value}`);
  args.push(options.directory);
  return runDocker(args);
}

function runDocker(args: string[]): Promise<CliBuildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('docker', args, { env: CLI_ENVIRONMENT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`docker ${args.join(' ')} failed with exit code ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        return;
      }
      resolve({ imageId: stdout.trim().split('\n').pop() ?? '', ms });
    });
  });
}
