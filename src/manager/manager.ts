import { performance } from 'node:perf_hooks';
import { resolveConfig } from '../config/resolve.js';
import type { ResolvedConfig, SandboxConfig, SandboxConfigInput } from '../config/types.js';
import { abortedError } from '../engine/engine-errors.js';
import type { DockerClient, ImageSummary } from '../engine/types.js';
import { log } from '../log.js';
import { canonicalBaseReference, getNewImageName } from '../reference/derived-name.js';
import { parseImageReference, type ImageReference } from '../reference/parse.js';
import { recipeFromConfig } from '../recipe/from-config.js';
import { loadFileSources } from '../recipe/load-files.js';
import { renderSandboxDockerfile, type RenderedRecipe } from '../recipe/render.js';
import { buildDerivedImage } from './build.js';
import { createEngineClient, type EngineInput } from './engine-client.js';
import { checkFreshness } from './freshness.js';
import { LABELS } from './labels.js';
import { acquireBuildLock, buildLockPath } from './lock.js';
import { emitter, type ProgressListener } from './progress.js';
import { listDerivedImages, pruneDerivedImages, type PruneOptions, type PruneResult } from './prune.js';
import { pullFromRegistryCache, pushDerivedImage } from './registry.js';
import { SingleFlight } from './single-flight.js';

/** Options of {@link SandboxImageManager}. */
export interface SandboxImageManagerOptions {
  /**
   * A dockerode instance, or an implementation of the `DockerClient` interface.
   * @default a dockerode client for the engine found from DOCKER_HOST, the Docker context or the usual sockets
   */
  docker?: EngineInput;
  /**
   * Config values given in code; they win over the config file and the environment.
   * @default {}
   */
  config?: SandboxConfigInput;
  /**
   * Config file to read, or `false` to read none.
   * @default the SANDBOX_IMAGE_CONFIG variable, else `config.toml` in `cwd` when it exists
   */
  configFile?: string | false;
  /**
   * Directory where `config.toml` is looked for.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Environment read for config variables and the engine address.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Directory of the cross-process build locks.
   * @default `<os temp dir>/sandbox-image-locks`
   */
  lockDirectory?: string;
}

/** Options of one {@link SandboxImageManager.ensure} call. */
export interface EnsureOptions {
  /**
   * Base image for this call; shorthand for `config.baseImage`.
   * @default the resolved `baseImage`
   */
  baseImage?: string;
  /**
   * Config values for this call, over the manager's.
   * @default {}
   */
  config?: SandboxConfigInput;
  /**
   * Receives progress events.
   * @default no listener
   */
  onProgress?: ProgressListener;
  /**
   * Cancels the pull or build; nothing is tagged after cancellation.
   * @default no signal
   */
  signal?: AbortSignal;
}

/** The result of {@link SandboxImageManager.ensure}. */
export interface EnsureResult {
  /** The derived image name, such as `localhost/sandbox-image:debian-bookworm-slim-1a2b…`. */
  imageName: string;
  /** Its image ID, `sha256:<hex>`. */
  imageId: string;
  /** Whether this call built the image. */
  built: boolean;
  /** Whether this call pulled the derived image from its registry instead of building it. */
  pulled: boolean;
  /** The normalised base reference, such as `docker.io/library/debian:bookworm-slim`. */
  baseImage: string;
  /** The base image ID the derived image was built from, when known. */
  baseImageId: string | undefined;
  /** Duration of the call in milliseconds. */
  durationMs: number;
}

/** Everything one `ensure` call decided before touching the engine. */
export interface EnsurePlan {
  config: Readonly<SandboxConfig>;
  resolved: ResolvedConfig;
  base: ImageReference;
  baseReference: string;
  rendered: RenderedRecipe;
  imageName: string;
}

/**
 * Derives, names, reuses and builds sandbox images on one engine.
 *
 * Concurrent `ensure` calls for the same image share one build: inside this manager through
 * an in-process map, and across managers and processes through a lock file per image.
 */
export class SandboxImageManager {
  readonly client: DockerClient;
  private readonly options: SandboxImageManagerOptions;
  private readonly flights = new SingleFlight<EnsureResult>();

  constructor(options: SandboxImageManagerOptions = {}) {
    this.options = options;
    this.client = createEngineClient(options.docker, options.env ?? process.env);
  }

  /** Resolves the config of this manager, with `overrides` from one call on top. */
  resolveConfig(overrides: SandboxConfigInput = {}): ResolvedConfig {
    return resolveConfig({
      cwd: this.options.cwd,
      configFile: this.options.configFile,
      env: this.options.env,
      overrides: { ...this.options.config, ...overrides },
    });
  }

  /** Resolves config, recipe and name for one call, without any Engine API call. */
  async plan(options: Pick<EnsureOptions, 'baseImage' | 'config'> = {}): Promise<EnsurePlan> {
    const resolved = this.resolveConfig({ ...options.config, ...(options.baseImage ? { baseImage: options.baseImage } : {}) });
    const config = resolved.values;
    const recipe = await loadFileSources(recipeFromConfig(config));
    const rendered = renderSandboxDockerfile(recipe);
    const base = parseImageReference(config.baseImage);
    const imageName = getNewImageName(base, { repository: config.imageRepository, fingerprint: rendered.fingerprint });
    return { config, resolved, base, baseReference: canonicalBaseReference(base), rendered, imageName };
  }

  /**
   * Returns the sandbox image for the configured base, building it when it does not exist
   * or is stale. A cache hit costs at most two Engine API calls (inspect the derived image,
   * inspect the base) and never builds.
   *
   * @throws {SandboxImageError} with a `code` such as `INVALID_CONFIG`, `ENGINE_UNAVAILABLE`,
   *   `BASE_IMAGE_NOT_FOUND`, `PULL_FAILED`, `BUILD_FAILED`, `ABORTED` or `LOCK_TIMEOUT`.
   */
  async ensure(options: EnsureOptions = {}): Promise<EnsureResult> {
    const started = performance.now();
    const plan = await this.plan(options);
    const emit = emitter(options.onProgress, (error) => log.main('onProgress listener threw: %O', error));
    const signal = combineSignals(options.signal, plan.config.timeoutMs);
    emit({ type: 'resolved', imageName: plan.imageName, baseImage: plan.baseReference });
    log.main('ensure %s from %s', plan.imageName, plan.baseReference);

    const hit = await this.findReusable(plan, signal, emit);
    if (hit) return this.finish(hit, started, emit);

    const key = `${this.client.address}\u0000${plan.imageName}`;
    const flight = this.flights.run(key, () => this.ensureLocked(plan, signal, emit, started));
    if (flight.joined) log.main('joining the running ensure of %s', plan.imageName);
    const result = await raceSignal(flight.promise, signal, `ensure ${plan.imageName}`);
    return flight.joined ? this.finish({ ...result, built: false, pulled: false }, started, emit) : result;
  }

  /** Lists the derived images of this library on the engine, found by label. */
  list(): Promise<ImageSummary[]> {
    return listDerivedImages(this.client);
  }

  /** Removes derived images: per base, all but the newest `keep`, optionally only those older than `olderThan`. */
  prune(options: PruneOptions = {}): Promise<PruneResult> {
    return pruneDerivedImages(this.client, options);
  }

  /** Pushes a derived image to its repository, with credentials from the Docker config. */
  async push(imageName: string, options: Pick<EnsureOptions, 'signal' | 'onProgress'> = {}): Promise<void> {
    const emit = emitter(options.onProgress, (error) => log.main('onProgress listener threw: %O', error));
    await pushDerivedImage(this.client, imageName, options.signal, emit, this.options.env ?? process.env);
  }

  /** Checks for a reusable image: a fresh local one, else one in the registry cache. */
  private async findReusable(plan: EnsurePlan, signal: AbortSignal | undefined, emit: ProgressListener): Promise<Omit<EnsureResult, 'durationMs'> | undefined> {
    const derived = await this.client.inspectImage(plan.imageName, signal);
    if (derived) {
      const freshness = await checkFreshness(this.client, derived, plan.baseReference, plan.config, signal);
      if (freshness.fresh) {
        emit({ type: 'cache-hit', imageName: plan.imageName, imageId: derived.id });
        log.main('cache hit: %s is %s', plan.imageName, derived.id);
        return { imageName: plan.imageName, imageId: derived.id, built: false, pulled: false, baseImage: plan.baseReference, baseImageId: freshness.baseImageId };
      }
      emit({ type: 'stale', imageName: plan.imageName, reason: freshness.reason });
      log.main('stale: %s: %s', plan.imageName, freshness.reason);
    }
    return undefined;
  }

  private async ensureLocked(plan: EnsurePlan, signal: AbortSignal | undefined, emit: ProgressListener, started: number): Promise<EnsureResult> {
    const lockPath = buildLockPath(this.client.address, plan.imageName, this.options.lockDirectory);
    const lock = await acquireBuildLock(lockPath, {
      timeoutMs: plan.config.lockTimeoutMs,
      signal,
      onWait: () => emit({ type: 'waiting-for-lock', imageName: plan.imageName, lockPath }),
    });
    try {
      // Another process may have built the image while this one waited for the lock.
      const hit = await this.findReusable(plan, signal, emit);
      if (hit) return this.finish(hit, started, emit);
      const pulled = await pullFromRegistryCache(this.client, plan, signal, emit, this.options.env ?? process.env);
      if (pulled) return this.finish(pulled, started, emit);
      const built = await buildDerivedImage(this.client, plan, signal, emit, this.options.env ?? process.env);
      if (plan.config.push) await pushDerivedImage(this.client, plan.imageName, signal, emit, this.options.env ?? process.env);
      return this.finish(built, started, emit);
    } finally {
      await lock.release();
    }
  }

  private finish(result: Omit<EnsureResult, 'durationMs'>, started: number, emit: ProgressListener): EnsureResult {
    const durationMs = Math.round(performance.now() - started);
    emit({ type: 'finished', imageName: result.imageName, imageId: result.imageId, built: result.built, pulled: result.pulled, durationMs });
    return { ...result, durationMs };
  }
}

/** Combines the caller's signal with the `timeoutMs` limit; 0 means no limit. */
function combineSignals(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal | undefined {
  const signals = [signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((item): item is AbortSignal => item !== undefined);
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

/** Rejects with `ABORTED` when this caller's signal fires, even if a shared run goes on for others. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, operation: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError(operation, signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(operation, signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}


