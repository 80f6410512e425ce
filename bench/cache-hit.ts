import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxConfigInput } from '../src/config/types.js';
import { SandboxImageManager } from '../src/manager/manager.js';
import { writeBuildContext } from './context-directory.js';
import { countingClient } from './counting-client.js';
import { dockerBuild } from './docker-cli.js';
import { createLibraryClient } from './engine.js';
import { progress } from './progress.js';
import { BASE_IMAGE, type BenchSession } from './session.js';
import { median, timed } from './stats.js';

/** Pause before each timed call, in milliseconds. */
const IDLE_GAP_MS = 100;

/** The existing image that the cache-hit benchmark requests. */
export interface ExistingImage {
  config: SandboxConfigInput;
  imageName: string;
  imageId: string;
}

/** Cache-hit figures, and a profile of the library's hot path. */
export interface CacheHitFigures {
  oursMedianMs: number;
  dockerBuildWarmMedianMs: number;
  speedup: number;
  apiCalls: number;
  /** Engine API calls of one cache hit, per `DockerClient` method. */
  callsByMethod: Record<string, number>;
  /** Whether every timed `docker build` returned the warm-up build's image ID, so its layer cache served every step. */
  dockerBuildFullyCached: boolean;
  /** `manager.ensure` on one long-lived manager, as a server would call it. */
  managerReuseMedianMs: number;
  /** `manager.plan`: config, recipe, rendering and name, with no Engine API call. */
  planMedianMs: number;
  /** The two image inspections of a cache hit, alone, one after the other. */
  inspectPairMedianMs: number;
  /** The same two inspections issued concurrently. */
  inspectPairConcurrentMedianMs: number;
}

/**
 * Compares `ensureSandboxImage` on an existing image with `docker build` of the identical
 * rendered Dockerfile, context and request labels on a warm layer cache. The two alternate,
 * after one warm-up call each, with a short idle gap before every timed call.
 */
export async function benchCacheHit(session: BenchSession, image: ExistingImage, labels: Record<string, string>, runs: number): Promise<CacheHitFigures> {
  const plan = await session.plan(image.config);
  if (plan.imageName !== image.imageName) throw new Error(`plan names ${plan.imageName}, expected ${image.imageName}`);
  const directory = session.track(await writeBuildContext(plan.rendered, 'warm'));

  const ours = async () => {
    const { ms, value } = await timed(() => session.ensure(image.config));
    if (value.built || value.imageId !== image.imageId) throw new Error(`expected a cache hit on ${image.imageName}`);
    return ms;
  };
  // The CLI packs the context directory into its own archive, which the classic builder's
  // COPY cache does not match with the library's archive, so a first build fills the cache.
  const warm = await dockerBuild({ directory, labels, network: session.network });
  await ours();

  const oursMs: number[] = [];
  const cliMs: number[] = [];
  let fullyCached = true;
  for (let run = 0; run < runs; run += 1) {
    // Each timed call starts on an idle engine, not while it still finishes the other side's call.
    await sleep(IDLE_GAP_MS);
    oursMs.push(await ours());
    await sleep(IDLE_GAP_MS);
    const cli = await dockerBuild({ directory, labels, network: session.network });
    cliMs.push(cli.ms);
    fullyCached &&= cli.imageId === warm.imageId;
  }
  progress(`cache hit: library ${median(oursMs).toFixed(1)} ms, docker build ${median(cliMs).toFixed(0)} ms (median of ${runs})`);

  const counting = countingClient(createLibraryClient());
  await session.ensure(image.config, counting.client);
  const profile = await profileHotPath(session, image, runs);
  const oursMedianMs = median(oursMs);
  const dockerBuildWarmMedianMs = median(cliMs);
  return {
    oursMedianMs,
    dockerBuildWarmMedianMs,
    speedup: dockerBuildWarmMedianMs / oursMedianMs,
    apiCalls: counting.total(),
    callsByMethod: Object.fromEntries(counting.calls),
    dockerBuildFullyCached: fullyCached,
    ...profile,
  };
}

/** Times the parts of a cache hit separately, on one long-lived manager and client. */
async function profileHotPath(session: BenchSession, image: ExistingImage, runs: number): Promise<Pick<CacheHitFigures, 'managerReuseMedianMs' | 'planMedianMs' | 'inspectPairMedianMs' | 'inspectPairConcurrentMedianMs'>> {
  const client = createLibraryClient();
  const manager = new SandboxImageManager({ docker: client, cwd: await session.cwd() });
  const request = { baseImage: BASE_IMAGE, config: image.config };
  const plan = await manager.plan(request);
  await manager.ensure(request);

  const reuse: number[] = [];
  const planning: number[] = [];
  const inspecting: number[] = [];
  const concurrent: number[] = [];
  // Each part costs a few milliseconds, so four times as many runs cost little.
  for (let run = 0; run < runs * 4; run += 1) {
    reuse.push((await timed(() => manager.ensure(request))).ms);
    planning.push((await timed(() => manager.plan(request))).ms);
    inspecting.push((await timed(async () => {
      await client.inspectImage(plan.imageName);
      await client.inspectImage(plan.baseReference);
    })).ms);
    concurrent.push((await timed(() => Promise.all([client.inspectImage(plan.imageName), client.inspectImage(plan.baseReference)]))).ms);
  }
  return {
    managerReuseMedianMs: median(reuse),
    planMedianMs: median(planning),
    inspectPairMedianMs: median(inspecting),
    inspectPairConcurrentMedianMs: median(concurrent),
  };
}
