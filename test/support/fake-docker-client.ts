import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { extract } from 'tar-stream';
import { abortedError } from '../../src/engine/engine-errors.js';
import type {
  BuildOptions,
  DockerClient,
  ImageDetails,
  ImageSummary,
  PullOptions,
  PushOptions,
} from '../../src/engine/types.js';
import { SandboxImageError } from '../../src/errors.js';

/** The methods of {@link DockerClient} that the fake records. */
export type FakeMethod = 'ping' | 'inspectImage' | 'pullImage' | 'buildImage' | 'tagImage' | 'pushImage' | 'listImages' | 'removeImage';

/** One recorded call. */
export interface FakeCall {
  method: FakeMethod;
  /** The first argument (a name, ID or options object). */
  target: unknown;
}

/** What a build received, as the fake read it from the context archive. */
export interface FakeBuild {
  dockerfile: string;
  from: string;
  labels: Record<string, string>;
  noCache: boolean;
  platform: string | undefined;
}

/** Options of {@link FakeDockerClient.addImage}. */
export interface FakeImageOptions {
  labels?: Record<string, string>;
  architecture?: string;
  repoDigests?: string[];
}

/**
 * An in-memory engine behind the {@link DockerClient} interface: images by ID, tags pointing
 * at IDs, a registry of pullable images, a log of every call, injectable failures, and builds
 * that take a controllable time and honour their abort signal.
 */
export class FakeDockerClient implements DockerClient {
  readonly address: string;
  /** Local images by ID. */
  readonly images = new Map<string, ImageDetails>();
  /** Local tags (`repository:tag`, normalised as the library sends them) to image IDs. */
  readonly tags = new Map<string, string>();
  /** Images a pull can fetch, by reference. */
  readonly registry = new Map<string, FakeImageOptions>();
  readonly calls: FakeCall[] = [];
  readonly builds: FakeBuild[] = [];
  /** How long each build takes, in milliseconds. */
  buildDelayMs = 0;
  private readonly failures = new Map<FakeMethod, Error[]>();
  private readonly gates: Array<() => void> = [];
  private holding = false;
  private clock = 1_700_000_000;

  constructor(address = 'unix:///fake/docker.sock') {
    this.address = address;
  }

  /** Returns how many times `method` was called. */
  count(method: FakeMethod): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  /** Makes the next call of `method` reject with `error`; queued errors are used in order. */
  failNext(method: FakeMethod, error: Error): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Holds every build started from now on until {@link releaseBuilds} is called. */
  holdBuilds(): void {
    this.holding = true;
  }

  /** Lets held builds finish and stops holding new ones. */
  releaseBuilds(): void {
    this.holding = false;
    for (const open of this.gates.splice(0)) open();
  }

  /** Adds a local image under `name` and returns it. */
  addImage(name: string, options: FakeImageOptions = {}): ImageDetails {
    const image = this.createImage(`${name}\u0000${JSON.stringify(options)}\u0000${this.clock}`, options);
    this.tags.set(name, image.id);
    return image;
  }

  /** Returns the image a name or ID refers to, without recording a call. */
  lookup(nameOrId: string): ImageDetails | undefined {
    const id = this.tags.get(nameOrId) ?? nameOrId;
    const image = this.images.get(id) ?? [...this.images.values()].find((candidate) => candidate.id.startsWith(`sha256:${nameOrId}`));
    return image ? { ...image, repoTags: this.tagsOf(image.id) } : undefined;
  }

  async ping(): Promise<void> {
    this.record('ping', undefined);
  }

  async inspectImage(nameOrId: string, signal?: AbortSignal): Promise<ImageDetails | undefined> {
    this.record('inspectImage', nameOrId);
    if (signal?.aborted) throw abortedError(`inspect image ${nameOrId}`, signal);
    return this.lookup(nameOrId);
  }

  async pullImage(reference: string, options: PullOptions = {}): Promise<void> {
    this.record('pullImage', reference);
    if (options.signal?.aborted) throw abortedError(`pull ${reference}`, options.signal);
    const remote = this.registry.get(reference);
    if (!remote) {
      throw new SandboxImageError('PULL_FAILED', `Failed to pull ${reference}: manifest unknown (HTTP 404 from ${this.address})`, {
        details: { statusCode: 404, image: reference, address: this.address },
      });
    }
    options.onEvent?.({ type: 'pull-progress', image: reference, layer: 'layer1', status: 'Pull complete', current: undefined, total: undefined });
    this.addImage(reference, remote);
  }

  async buildImage(options: BuildOptions): Promise<string> {
    this.record('buildImage', options);
    const build = await readBuild(options);
    this.builds.push(build);
    const base = this.lookup(build.from);
    if (!base) {
      throw new SandboxImageError('BUILD_FAILED', `Build failed at step \`FROM ${build.from}\`: pull access denied`, { details: { step: `FROM ${build.from}` } });
    }
    options.onEvent?.({ type: 'build-step', index: 1, count: 2, instruction: `FROM ${build.from}` });
    await this.waitForBuild(options.signal);
    options.onEvent?.({ type: 'build-output', line: 'sandbox-image: done' });
    const identity = `${base.id}\u0000${build.dockerfile}\u0000${JSON.stringify(build.labels)}${build.noCache ? `\u0000${this.clock}` : ''}`;
    const existing = this.images.get(hashId(identity));
    if (existing) return existing.id;
    return this.createImage(identity, { labels: build.labels, architecture: base.architecture }).id;
  }

  async tagImage(imageId: string, repository: string, tag: string): Promise<void> {
    this.record('tagImage', `${repository}:${tag}`);
    if (!this.images.has(imageId)) throw engineError(404, `No such image: ${imageId}`);
    this.tags.set(`${repository}:${tag}`, imageId);
  }

  async pushImage(name: string, options: PushOptions = {}): Promise<void> {
    this.record('pushImage', name);
    if (options.signal?.aborted) throw abortedError(`push ${name}`, options.signal);
  }

  async listImages(labelFilters: string[]): Promise<ImageSummary[]> {
    this.record('listImages', labelFilters);
    return [...this.images.values()]
      .filter((image) => labelFilters.every((filter) => matchesLabel(image.labels, filter)))
      .map((image) => ({
        id: image.id,
        repoTags: this.tagsOf(image.id),
        labels: image.labels,
        created: Date.parse(image.created) / 1000,
        size: image.size,
      }));
  }

  async removeImage(nameOrId: string): Promise<void> {
    this.record('removeImage', nameOrId);
    if (this.tags.has(nameOrId)) {
      const id = this.tags.get(nameOrId)!;
      this.tags.delete(nameOrId);
      if (this.tagsOf(id).length === 0) this.images.delete(id);
      return;
    }
    const image = this.lookup(nameOrId);
    if (!image) return;
    if (image.repoTags.length > 0) throw engineError(409, `conflict: image ${nameOrId} is referenced in multiple repositories`);
    this.images.delete(image.id);
  }

  private record(method: FakeMethod, target: unknown): void {
    this.calls.push({ method, target });
    const queued = this.failures.get(method);
    const failure = queued?.shift();
    if (failure) throw failure;
  }

  private createImage(identity: string, options: FakeImageOptions): ImageDetails {
    this.clock += 1;
    const image: ImageDetails = {
      id: hashId(identity),
      repoTags: [],
      repoDigests: options.repoDigests ?? [],
      labels: options.labels ?? {},
      os: 'linux',
      architecture: options.architecture ?? 'amd64',
      variant: undefined,
      created: new Date(this.clock * 1000).toISOString(),
      size: 1000,
    };
    this.images.set(image.id, image);
    return image;
  }

  private tagsOf(id: string): string[] {
    return [...this.tags.entries()].filter(([, target]) => target === id).map(([name]) => name);
  }

  private async waitForBuild(signal: AbortSignal | undefined): Promise<void> {
    const operation = 'build the image';
    if (signal?.aborted) throw abortedError(operation, signal);
    const gate = this.holding ? new Promise<void>((resolve) => this.gates.push(resolve)) : Promise.resolve();
    const delay = this.buildDelayMs > 0 ? sleep(this.buildDelayMs, undefined, { signal }) : Promise.resolve();
    const aborted = new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => reject(abortedError(operation, signal)), { once: true });
    });
    try {
      await Promise.race([Promise.all([gate, delay]), aborted]);
    } catch (error) {
      if (signal?.aborted) throw abortedError(operation, signal);
      throw error;
    }
  }
}

function hashId(identity: string): string {
  return `sha256:${createHash('sha256').update(identity).digest('hex')}`;
}

/** Creates an error shaped as dockerode reports HTTP errors, for injection into lower layers. */
export function engineError(statusCode: number, message: string): Error & { statusCode: number } {
  return Object.assign(new Error(`(HTTP code ${statusCode}) ${message}`), { statusCode, json: { message } });
}

function matchesLabel(labels: Record<string, string>, filter: string): boolean {
  const equals = filter.indexOf('=');
  if (equals === -1) return filter in labels;
  return labels[filter.slice(0, equals)] === filter.slice(equals + 1);
}

/** Reads the Dockerfile from a build context and merges its LABEL pairs with the request's labels. */
async function readBuild(options: BuildOptions): Promise<FakeBuild> {
  const dockerfile = await readDockerfile(options.context);
  const joined = dockerfile.replace(/\\\n/g, ' ');
  const from = /^FROM (\S+)$/m.exec(joined)?.[1] ?? '';
  const labelLine = /^LABEL (.*)$/m.exec(joined)?.[1] ?? '';
  const labels: Record<string, string> = {};
  for (const match of labelLine.matchAll(/([^\s=]+)="((?:[^"\\]|\\.)*)"/g)) {
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, '$1');
  }
  return { dockerfile, from, labels: { ...labels, ...options.labels }, noCache: options.noCache ?? false, platform: options.platform };
}

function readDockerfile(context: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const archive = extract();
    let dockerfile: string | undefined;
    archive.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
      stream.on('end', () => {
        if (header.name === 'Dockerfile') dockerfile = Buffer.concat(chunks).toString('utf8');
        next();
      });
      stream.resume();
    });
    archive.on('finish', () => (dockerfile === undefined ? reject(new Error('The build context has no Dockerfile.')) : resolve(dockerfile)));
    archive.on('error', reject);
    archive.end(Buffer.from(context));
  });
}
