import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { SandboxImageError } from '../errors.js';
import { statusCodeOf, toEngineError } from './engine-errors.js';
import { BuildStreamState, handleTransferMessage, readProgressStream } from './progress-stream.js';
import type {
  BuildOptions,
  DockerClient,
  ImageDetails,
  ImageSummary,
  PullOptions,
  PushOptions,
  RegistryAuth,
  RemoteImageLookup,
} from './types.js';

/** The Engine API through dockerode. */
export class DockerodeClient implements DockerClient {
  /** Whether the engine has the distribution endpoint, asked once per client. */
  private distributionSupport: Promise<boolean> | undefined;

  constructor(
    private readonly docker: Dockerode,
    readonly address: string,
  ) {}

  async ping(signal?: AbortSignal): Promise<void> {
    try {
      // dockerode accepts options here although its type declarations list none.
      await (this.docker.ping as (options: object) => Promise<unknown>).call(this.docker, { abortSignal: signal });
    } catch (error) {
      throw toEngineError(error, { address: this.address, operation: 'reach the engine', code: 'ENGINE_ERROR', signal });
    }
  }

  async inspectImage(nameOrId: string, signal?: AbortSignal): Promise<ImageDetails | undefined> {
    try {
      const info = await this.docker.getImage(nameOrId).inspect({ abortSignal: signal } as object);
      return {
        id: info.Id,
        repoTags: info.RepoTags ?? [],
        repoDigests: info.RepoDigests ?? [],
        labels: info.Config?.Labels ?? {},
        os: info.Os,
        architecture: info.Architecture,
        variant: (info as { Variant?: string }).Variant || undefined,
        created: info.Created,
        size: info.Size,
      };
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw toEngineError(error, { address: this.address, operation: `inspect image ${nameOrId}`, code: 'ENGINE_ERROR', signal });
    }
  }

  async pullImage(reference: string, options: PullOptions = {}): Promise<void> {
    const operation = `pull ${reference}`;
    const context = { address: this.address, operation, code: 'PULL_FAILED' as const, signal: options.signal, image: reference };
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(reference, {
        ...(options.platform ? { platform: options.platform } : {}),
        ...(options.auth ? { authconfig: options.auth } : {}),
        abortSignal: options.signal,
      });
    } catch (error) {
      throw toEngineError(error, context);
    }
    await this.readTransfer('pull-progress', reference, stream, options, context);
  }

  async buildImage(options: BuildOptions): Promise<string> {
    const context = { address: this.address, operation: 'build the image', code: 'BUILD_FAILED' as const, signal: options.signal };
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.buildImage(Readable.from([Buffer.from(options.context)]), {
        labels: options.labels,
        forcerm: true,
        rm: true,
        ...(options.platform ? { platform: options.platform } : {}),
        ...(options.networkMode ? { networkmode: options.networkMode } : {}),
        ...(options.noCache ? { nocache: true } : {}),
        abortSignal: options.signal,
      } as Dockerode.ImageBuildOptions);
    } catch (error) {
      throw toEngineError(error, context);
    }
    // Aborting destroys the request. Docker then stops the build and removes its container.
    // NOTE: Podman 4.3 runs the build to its end after the client disconnected; nothing is
    // tagged, but the build container lives until then and its untagged image remains.
    const state = new BuildStreamState(options.onEvent);
    try {
      await readProgressStream(stream, (message) => state.handle(message), context);
    } catch (error) {
      throw toEngineError(error, context);
    }
    return state.finish();
  }

  async tagImage(imageId: string, repository: string, tag: string): Promise<void> {
    try {
      await this.docker.getImage(imageId).tag({ repo: repository, tag });
    } catch (error) {
      throw toEngineError(error, { address: this.address, operation: `tag ${imageId} as ${repository}:${tag}`, code: 'ENGINE_ERROR' });
    }
  }

  async pushImage(name: string, options: PushOptions = {}): Promise<void> {
    const { repository, tag } = splitTag(name);
    const context = { address: this.address, operation: `push ${name}`, code: 'PUSH_FAILED' as const, signal: options.signal, image: name };
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await this.docker.getImage(repository).push({
        tag,
        ...(options.auth ? { authconfig: options.auth } : {}),
        abortSignal: options.signal,
      } as object)) as NodeJS.ReadableStream;
    } catch (error) {
      throw toEngineError(error, context);
    }
    await this.readTransfer('push-progress', name, stream, options, context);
  }

  async listImages(labelFilters: string[]): Promise<ImageSummary[]> {
    try {
      const images = await this.docker.listImages({ filters: JSON.stringify({ label: labelFilters }) } as object);
      return images.map((image) => ({
        id: image.Id,
        repoTags: (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
        labels: image.Labels ?? {},
        created: image.Created,
        size: image.Size,
      }));
    } catch (error) {
      throw toEngineError(error, { address: this.address, operation: 'list images', code: 'ENGINE_ERROR' });
    }
  }

  async removeImage(nameOrId: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      await this.docker.getImage(nameOrId).remove({ force: options.force ?? false });
    } catch (error) {
      if (statusCodeOf(error) === 404) return;
      throw toEngineError(error, { address: this.address, operation: `remove image ${nameOrId}`, code: 'ENGINE_ERROR' });
    }
  }

  async inspectRemoteImage(name: string, auth?: RegistryAuth, signal?: AbortSignal): Promise<RemoteImageLookup> {
    if (!(await this.hasDistributionEndpoint(signal))) return { status: 'unsupported' };
    try {
      // Docker 20.10 returns 200 with the manifest descriptor, 404 when the registry has no such
      // tag, 401 when the registry rejects the credentials, and 500 when it cannot be reached
      // or wants credentials that were not sent.
      const result = (await this.dial({
        path: `/distribution/${name}/json`,
        method: 'GET',
        statusCodes: { 200: true },
        ...(auth ? { authconfig: auth } : {}),
        abortSignal: signal,
      })) as { Descriptor?: { digest?: string } } | null;
      const digest = result?.Descriptor?.digest;
      return digest ? { status: 'found', digest } : { status: 'missing' };
    } catch (error) {
      if (statusCodeOf(error) === 404) return { status: 'missing' };
      throw toEngineError(error, { address: this.address, operation: `look up ${name} in its registry`, code: 'PULL_FAILED', signal, image: name });
    }
  }

  /**
   * Whether the engine serves `GET /distribution/{name}/json` (Engine API 1.30 and later).
   * Podman's Docker-compatible API returns 404 there for every name, which would read as
   * "tag missing", so Podman is recognised by the component name in `GET /version`.
   */
  private hasDistributionEndpoint(signal: AbortSignal | undefined): Promise<boolean> {
    // dockerode accepts options here although its type declarations list none.
    const version = this.docker.version as (options: object) => Promise<Dockerode.DockerVersion>;
    this.distributionSupport ??= version
      .call(this.docker, { abortSignal: signal })
      .then((info) => {
        const components = (info as { Components?: Array<{ Name?: string }> }).Components ?? [];
        if (components.some((component) => component.Name === 'Podman Engine')) return false;
        return apiVersionAtLeast(info.ApiVersion, 1, 30);
      })
      .catch((error: unknown) => {
        this.distributionSupport = undefined;
        throw toEngineError(error, { address: this.address, operation: 'read the engine version', code: 'ENGINE_ERROR', signal });
      });
    return this.distributionSupport;
  }

  private dial(options: object): Promise<unknown> {
    const modem = (this.docker as unknown as { modem: { dial(options: object, callback: (error: unknown, data: unknown) => void): void } }).modem;
    return new Promise((resolve, reject) => modem.dial(options, (error, data) => (error ? reject(error) : resolve(data))));
  }

  private async readTransfer(
    kind: 'pull-progress' | 'push-progress',
    image: string,
    stream: NodeJS.ReadableStream,
    options: PullOptions | PushOptions,
    context: Parameters<typeof toEngineError>[1],
  ): Promise<void> {
    const tail: string[] = [];
    let failure: string | undefined;
    try {
      await readProgressStream(stream, (message) => {
        failure ??= handleTransferMessage(kind, image, message, tail, options.onEvent);
      }, context);
    } catch (error) {
      throw toEngineError(error, context);
    }
    if (failure !== undefined) {
      const verb = kind === 'pull-progress' ? 'pull' : 'push';
      throw new SandboxImageError(
        context.code,
        `Failed to ${verb} ${image}: ${failure}. Check the name, that the registry is reachable from the engine, and the credentials.`,
        { details: { image, address: this.address, outputTail: tail } },
      );
    }
  }
}

function splitTag(name: string): { repository: string; tag: string } {
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon === -1 ? { repository: name, tag: 'latest' } : { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
}

/** Compares an Engine API version such as `1.41` with `major.minor`; a missing version counts as new enough. */
function apiVersionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return true;
  const [foundMajor, foundMinor] = [Number(match[1]), Number(match[2])];
  return foundMajor > major || (foundMajor === major && foundMinor >= minor);
}
