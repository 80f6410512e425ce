import type { SandboxConfigInput } from './config/types.js';
import type { EngineInput } from './manager/engine-client.js';
import { SandboxImageManager, type EnsureResult } from './manager/manager.js';
import type { ProgressListener } from './manager/progress.js';

/** Options of {@link ensureSandboxImage}. */
export interface EnsureSandboxImageOptions {
  /**
   * Base image to derive from; shorthand for `config.baseImage`.
   * @default the resolved `baseImage` ('debian:bookworm-slim' unless configured)
   */
  baseImage?: string;
  /**
   * Config values in code (camelCase keys); they win over the config file and the environment.
   * @default {}
   */
  config?: SandboxConfigInput;
  /**
   * Config file to read, or `false` to read none.
   * @default the SANDBOX_IMAGE_CONFIG variable, else `config.toml` in the working directory when it exists
   */
  configFile?: string | false;
  /**
   * A dockerode instance (or a `DockerClient`) for the engine to use.
   * @default a client for the engine found from DOCKER_HOST, the Docker context or the usual sockets
   */
  docker?: EngineInput;
  /**
   * Receives progress events (pull, build steps, output lines, finish).
   * @default no listener
   */
  onProgress?: ProgressListener;
  /**
   * Cancels the call; nothing is tagged after cancellation.
   * @default no signal
   */
  signal?: AbortSignal;
  /**
   * Directory where `config.toml` is looked for.
   * @default process.cwd()
   */
  cwd?: string;
}

/**
 * Returns a sandbox image derived from the base image, building it only when no fresh one
 * exists. The one-call entry point: it creates a {@link SandboxImageManager} for the call,
 * so no state outlives it; concurrent calls, in this process or others, share one build
 * through the manager's lock file.
 *
 * @example
 * const { imageName } = await ensureSandboxImage({ baseImage: 'python:3.12' });
 */
export function ensureSandboxImage(options: EnsureSandboxImageOptions = {}): Promise<EnsureResult> {
  const manager = new SandboxImageManager({
    docker: options.docker,
    configFile: options.configFile,
    cwd: options.cwd,
  });
  return manager.ensure({
    baseImage: options.baseImage,
    config: options.config,
    onProgress: options.onProgress,
    signal: options.signal,
  });
}
