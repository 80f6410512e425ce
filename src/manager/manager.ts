import { performance } from 'node:perf_hooks';
import { resolveConfig } from '../config/resolve.js';
import type { ResolvedConfig, SandboxConfig, SandboxConfigInput } from '../config/types.js';
import { abortedError } from '../engine/engine-errors.js';
import type { DockerClient, ImageDetails, ImageSummary } from '../engine/types.js';
import { isSandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { canonicalBaseReference, getNewImageName } from '../reference/derived-name.js';
import { parseImageReference, type ImageReference } from '../reference/parse.js';
import { recipeFromConfig } from '../recipe/from-config.js';
import { loadFileSources } from '../recipe/load-files.js';
import { renderSandboxDockerfile, type RenderedRecipe } from '../recipe/render.js';
import { ensureBaseImage } from './base-image.js';
import { buildDerivedImage } from './build.js';
import { createEngineClient, type EngineInput } from './engine-client.js';
import { decideFreshness, needsBase, type Freshness } from './freshness.js';
import { acquireBuildLock, buildLockPath } from './lock.js';
import { emitter, type ProgressEvent, type ProgressListener } from './progress.js';
import { listDerivedImages, pruneDerivedImages, type PruneOptions, type PruneResult } from './prune.js';
import { pullFromRegistryCache, pushDerivedImage } from './registry.js';
import { SingleFlight, type SharedRun } from './single-flight.js';

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
   * Cancels this call. A pull or build shared with other concurrent calls stops only when
   * every one of them was cancelled; nothing is tagged after cancellation.
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
  /** The cache key hashed into the name: the recipe fingerprint, plus the platform when one is configured. */
  cacheKey: string;
  imageName: string;
}

/** The result of {@link SandboxImageManager.inspect}. */
export interface InspectResult {
  /** The derived image name for the resolved config. */
  imageName: string;
  /** The normalised base reference. */
  baseImage: string;
  /** The derived image, or `undefined` when it does not exist on the engine. */
  image: ImageDetails | undefined;
  /** Whether `ensure` would reuse the image without building. */
  fresh: boolean;
  /** The reason `ensure` would build, when `fresh` is false. */
  reason: string | undefined;
}

type Outcome = Omit<EnsureResult, 'durationMs'>;

/**
 * Derives, names, reuses and builds sandbox images on one engine.
 *
 * Concurrent `ensure` calls for the same image share one build: inside this manager through
 * an in-process map, and across managers and processes through a lock file per image.
 */
export class SandboxImageManager {
  readonly client: DockerClient;
  private readonly options: SandboxImageManagerOptions;
  private readonly flights = new SingleFlight<Outcome, ProgressEvent>();

  constructor(options: SandboxImageManagerOptions = {}) {
    this.options = options;
    this.client = createEngineClient(options.docker, this.env);
  }

  private get env(): Readonly<Record<string, string | undefined>> {
    return this.options.env ?? process.env;
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
    // A configured platform builds a different image from the same recipe, so it is part of the name.
    const cacheKey = config.platform ? `${rendered.fingerprint}/${config.platform}` : rendered.fingerprint;
    const imageName = getNewImageName(base, { repository: config.imageRepository, fingerprint: cacheKey });
    return { config, resolved, base, baseReference: canonicalBaseReference(base), rendered, cacheKey, imageName };
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
    const { signal, dispose } = combineSignals(options.signal, plan.config.timeoutMs);
    emit({ type: 'resolved', imageName: plan.imageName, baseImage: plan.baseReference });
    log.main('Ensuring %s from %s…', plan.imageName, plan.baseReference);
    try {
      const outcome = (await this.findFresh(plan, signal, emit)) ?? (await this.shareBuild(plan, signal, emit));
      const durationMs = Math.round(performance.now() - started);
      log.main('Ensured %s (%s) in %d ms: %s', plan.imageName, outcome.imageId, durationMs, outcome.built ? 'built' : outcome.pulled ? 'pulled' : 'reused');
      emit({ type: 'finished', imageName: outcome.imageName, imageId: outcome.imageId, built: outcome.built, pulled: outcome.pulled, durationMs });
      return { ...outcome, durationMs };
    } catch (error) {
      log.main('Ensure of %s failed after %d ms: %s', plan.imageName, Math.round(performance.now() - started), isSandboxImageError(error) ? error.code : error);
      throw error;
    } finally {
      dispose();
    }
  }

  /**
   * Reports the derived image for the resolved config and whether `ensure` would reuse it,
   * without pulling or building. Costs at most two Engine API calls.
   */
  async inspect(options: Pick<EnsureOptions, 'baseImage' | 'config' | 'signal'> = {}): Promise<InspectResult> {
    const plan = await this.plan(options);
    const summary = { imageName: plan.imageName, baseImage: plan.baseReference };
    const image = await this.client.inspectImage(plan.imageName, options.signal);
    if (!image) return { ...summary, image, fresh: false, reason: 'the image does not exist' };
    const base = needsBase(plan.config) ? await this.client.inspectImage(plan.baseReference, options.signal) : undefined;
    const freshness = decideFreshness(image, base, plan.baseReference, plan.config);
    return { ...summary, image, fresh: freshness.fresh, reason: freshness.fresh ? undefined : freshness.reason };
  }

  /** Lists the derived images of this library on the engine, found by label, newest first. */
  list(): Promise<ImageSummary[]> {
    return listDerivedImages(this.client);
  }

  /**
   * Removes derived images: per base, all but the newest `keep`, optionally only those older
   * than `olderThan`, in every repository unless `repository` is given.
   */
  prune(options: PruneOptions = {}): Promise<PruneResult> {
    return pruneDerivedImages(this.client, options);
  }

  /** Pushes a derived image to its repository, with credentials from the Docker config. */
  async push(imageName: string, options: Pick<EnsureOptions, 'signal' | 'onProgress'> = {}): Promise<void> {
    const emit = emitter(options.onProgress, (error) => log.main('onProgress listener threw: %O', error));
    await pushDerivedImage(this.client, imageName, options.signal, emit, this.env);
  }

  /**
   * Looks for an existing fresh image without the lock, with at most two inspects. Under
   * `pull: 'always'` with `rebuild: 'if-stale'` the base must be pulled first, so the check
   * happens under the lock instead.
   */
  private async findFresh(plan: EnsurePlan, signal: AbortSignal | undefined, emit: ProgressListener): Promise<Outcome | undefined> {
    if (plan.config.pull === 'always' && needsBase(plan.config)) return undefined;
    // Both inspections go out together: a cache hit then costs one round trip, not two.
    const [derived, base] = await Promise.all([
      this.client.inspectImage(plan.imageName, signal),
      needsBase(plan.config) ? this.client.inspectImage(plan.baseReference, signal) : undefined,
    ]);
    if (!derived) return undefined;
    return this.reuseIfFresh(plan, derived, decideFreshness(derived, base, plan.baseReference, plan.config), emit);
  }

  private reuseIfFresh(plan: EnsurePlan, derived: ImageDetails, freshness: Freshness, emit: ProgressListener): Outcome | undefined {
    if (!freshness.fresh) {
      emit({ type: 'stale', imageName: plan.imageName, reason: freshness.reason });
      log.main('stale: %s: %s', plan.imageName, freshness.reason);
      return undefined;
    }
    emit({ type: 'cache-hit', imageName: plan.imageName, imageId: derived.id });
    log.main('cache hit: %s is %s', plan.imageName, derived.id);
    return { imageName: plan.imageName, imageId: derived.id, built: false, pulled: false, baseImage: plan.baseReference, baseImageId: freshness.baseImageId };
  }

  /** Joins or starts the one locked build of this image in this manager. */
  private async shareBuild(plan: EnsurePlan, signal: AbortSignal | undefined, emit: ProgressListener): Promise<Outcome> {
    const key = `${this.client.address}\u0000${plan.imageName}`;
    const flight = this.flights.run(key, (shared) => this.ensureLocked(plan, shared), { signal, listener: emit }, (fired) =>
      abortedError(`ensure ${plan.imageName}`, fired),
    );
    if (flight.joined) log.main('joining the running ensure of %s', plan.imageName);
    const outcome = await flight.promise;
    return flight.joined ? { ...outcome, built: false, pulled: false } : outcome;
  }

  /**
   * Holds the cross-process lock of the image and, under it, checks again (another process
   * may have built the image meanwhile), pulls the base when the pull policy requires it, then builds.
   */
  private async ensureLocked(plan: EnsurePlan, shared: SharedRun<ProgressEvent>): Promise<Outcome> {
    const { signal, emit } = shared;
    const lockPath = buildLockPath(this.client.address, plan.imageName, this.options.lockDirectory);
    let finishedElsewhere: Outcome | undefined;
    const lock = await acquireBuildLock(lockPath, {
      timeoutMs: plan.config.lockTimeoutMs,
      signal,
      onWait: () => emit({ type: 'waiting-for-lock', imageName: plan.imageName, lockPath }),
      // Polled while another process builds: its image ends the wait, with no turn at the lock.
      stopWaiting: async () => {
        finishedElsewhere = await this.findFresh(plan, signal, () => undefined);
        return finishedElsewhere !== undefined;
      },
    });
    if (!lock) {
      const outcome = finishedElsewhere!;
      emit({ type: 'cache-hit', imageName: plan.imageName, imageId: outcome.imageId });
      return outcome;
    }
    try {
      const ensureBase = () => ensureBaseImage(this.client, plan.base, plan.baseReference, plan.config, signal, emit, this.env);
      let base = plan.config.pull === 'always' ? await ensureBase() : undefined;
      const derived = await this.client.inspectImage(plan.imageName, signal);
      if (derived) {
        if (!base && needsBase(plan.config)) base = await this.client.inspectImage(plan.baseReference, signal);
        const hit = this.reuseIfFresh(plan, derived, decideFreshness(derived, base, plan.baseReference, plan.config), emit);
        if (hit) return hit;
      }
      const pulled = await pullFromRegistryCache(this.client, plan, signal, emit, this.env);
      if (pulled) return pulled;
      const built = await buildDerivedImage(this.client, plan, base ?? (await ensureBase()), signal, emit);
      if (plan.config.push) await pushDerivedImage(this.client, plan.imageName, signal, emit, this.env);
      return built;
    } finally {
      await lock.release();
    }
  }
}

/**
 * Combines the caller's signal with the `timeoutMs` limit, where 0 means no limit. Call `dispose`
 * when the ensure ends, to clear the timer.
 */
function combineSignals(signal: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal | undefined; dispose: () => void } {
  if (timeoutMs <= 0) return { signal, dispose: () => undefined };
  // A timer, not AbortSignal.timeout(): AbortSignal.any() references its sources weakly, so a
  // timeout signal referenced nowhere else can be garbage-collected and never fire, as on Node.js 20.20.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException(`The ensure timed out after ${timeoutMs} ms.`, 'TimeoutError')), timeoutMs);
  timer.unref();
  return { signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal, dispose: () => clearTimeout(timer) };
}
