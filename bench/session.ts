import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { ensureSandboxImage } from '../src/ensure.js';
import type { SandboxConfigInput } from '../src/config/types.js';
import type { EngineInput } from '../src/manager/engine-client.js';
import type { EnsureResult } from '../src/manager/manager.js';
import { SandboxImageManager, type EnsurePlan } from '../src/manager/manager.js';
import { makeTemporaryDirectory } from './context-directory.js';
import { createDockerode } from './engine.js';
import { progress } from './progress.js';

/** The base image every benchmark derives from. */
export const BASE_IMAGE = 'debian:bookworm-slim';

/** Extra packages of the recipe compared with OpenDevin's step; sudo and sshd come from the recipe's own options. */
export const OPENDEVIN_EQUIVALENT: SandboxConfigInput = { ssh: true, packages: ['wget'] };

/** OpenDevin's sandbox step, as its Dockerfile runs it. */
export const OPENDEVIN_DOCKERFILE = `FROM ${BASE_IMAGE}\nRUN apt update && apt install -y openssh-server wget sudo\n`;

/**
 * State of one benchmark run: a repository of its own for every image it creates, so the
 * cleanup removes exactly those, and the temporary directories it wrote.
 */
export class BenchSession {
  readonly docker: Dockerode = createDockerode();
  readonly id = randomBytes(4).toString('hex');
  readonly repository = `localhost/sandbox-image-bench-${this.id}`;
  private readonly directories: string[] = [];
  private counter = 0;
  private emptyDirectory: string | undefined;

  /** @param network network of every build's RUN steps, on both sides; `undefined` for the engine's default. */
  constructor(readonly network: string | undefined) {}

  /**
   * Returns a config whose derived image no earlier build made: the working directory's name is
   * unique, so the first COPY of the build context differs and the classic builder's layer
   * cache cannot serve any step. The work done is the same as for `/workspace`.
   */
  uniqueConfig(extra: SandboxConfigInput = {}): SandboxConfigInput {
    this.counter += 1;
    return {
      ...extra,
      imageRepository: this.repository,
      workdir: `/workspace-bench-${this.id}-${this.counter}`,
      ...(this.network ? { buildNetwork: this.network } : {}),
    };
  }

  /** Returns a new, unique tag in this session's repository. */
  tag(kind: string): string {
    this.counter += 1;
    return `${this.repository}:${kind}-${this.counter}`;
  }

  /** Remembers a temporary directory to delete at the end. */
  track(directory: string): string {
    this.directories.push(directory);
    return directory;
  }

  /** Returns a directory without config.toml, the working directory of every library call. */
  async cwd(): Promise<string> {
    this.emptyDirectory ??= this.track(await makeTemporaryDirectory('cwd'));
    return this.emptyDirectory;
  }

  /** Calls `ensureSandboxImage` as an application would, with no config file. */
  async ensure(config: SandboxConfigInput, docker?: EngineInput): Promise<EnsureResult> {
    return ensureSandboxImage({ baseImage: BASE_IMAGE, config, cwd: await this.cwd(), ...(docker ? { docker } : {}) });
  }

  /** Returns the library's plan (rendered recipe and image name) for a config, without Engine API calls. */
  async plan(config: SandboxConfigInput): Promise<EnsurePlan> {
    return new SandboxImageManager({ cwd: await this.cwd() }).plan({ baseImage: BASE_IMAGE, config });
  }

  /** Removes every image tagged in this session's repository and every temporary directory. */
  async cleanup(): Promise<void> {
    const images = await this.docker.listImages({ filters: JSON.stringify({ reference: [this.repository] }) });
    const tags = images.flatMap((image) => image.RepoTags ?? []).filter((tag) => tag.startsWith(`${this.repository}:`));
    progress(`cleanup: removing ${tags.length} images of ${this.repository}`);
    await removeTags(this.docker, tags);
    for (const directory of this.directories) await rm(directory, { recursive: true, force: true });
  }
}

/** Removes images by tag, a few at a time. An image that has other tags only loses this one. */
export async function removeTags(docker: Dockerode, tags: string[], parallel = 4): Promise<void> {
  const queue = [...tags];
  const worker = async () => {
    for (let tag = queue.shift(); tag !== undefined; tag = queue.shift()) {
      await docker.getImage(tag).remove().catch((error: Error) => progress(`cleanup: could not remove ${tag}: ${error.message}`));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
