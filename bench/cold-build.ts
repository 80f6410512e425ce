import type { SandboxConfigInput } from '../src/config/types.js';
import { buildKitBuild } from './buildkit.js';
import { writeBuildContext, writeDockerfileContext } from './context-directory.js';
import { dockerBuild } from './docker-cli.js';
import { progress } from './progress.js';
import { BenchSession, OPENDEVIN_DOCKERFILE, OPENDEVIN_EQUIVALENT } from './session.js';
import { median, timed } from './stats.js';

/** Times and images of the cold builds. */
export interface ColdBuildRuns {
  oursMs: number[];
  cliMs: number[];
  oursEquivalentMs: number[];
  opendevinMs: number[];
  /** BuildKit builds of the default recipe through the Engine API; empty unless requested. */
  buildKitMs: number[];
  /** Images made by each kind of build, for the size figures. */
  images: { ours: string[]; cli: string[]; oursEquivalent: string[]; opendevin: string[]; buildKit: string[] };
  /** Config and name of the last default-recipe image the library built, reused by the cache-hit benchmark. */
  last: { config: SandboxConfigInput; imageName: string; imageId: string };
  /** Labels the library sent with its build request, passed to `docker build --label` too. */
  buildLabels: Record<string, string>;
}

/** The ratios of the cold-build figures. */
export interface ColdBuildFigures {
  oursMs: number;
  dockerCliMs: number;
  ratio: number;
  opendevinMs: number;
  vsOpendevin: number;
}

type Step = () => Promise<void>;

/**
 * Runs `rounds` rounds of four cold builds, in alternating order so drift on the shared engine
 * falls on both sides: the default recipe through the library and through `docker build
 * --no-cache`, and the recipe with OpenDevin's package set against OpenDevin's own step.
 * With `withBuildKit`, each round also builds the default recipe with BuildKit.
 */
export async function runColdBuilds(session: BenchSession, rounds: number, withBuildKit = false): Promise<ColdBuildRuns> {
  const runs: Omit<ColdBuildRuns, 'last' | 'buildLabels'> & Partial<ColdBuildRuns> = {
    oursMs: [],
    cliMs: [],
    oursEquivalentMs: [],
    opendevinMs: [],
    buildKitMs: [],
    images: { ours: [], cli: [], oursEquivalent: [], opendevin: [], buildKit: [] },
  };
  const opendevinContext = session.track(await writeDockerfileContext(OPENDEVIN_DOCKERFILE, 'opendevin'));

  const ours: Step = async () => {
    const config = session.uniqueConfig();
    const { ms, value } = await timed(() => session.ensure(config));
    if (!value.built) throw new Error(`expected a cold build of ${value.imageName}, got a cache hit`);
    runs.oursMs.push(ms);
    runs.images.ours.push(value.imageName);
    runs.last = { config, imageName: value.imageName, imageId: value.imageId };
    runs.buildLabels ??= await requestLabels(session, config, value.imageName);
    progress(`cold: library, default recipe: ${Math.round(ms)} ms`);
  };
  const cli: Step = async () => {
    const plan = await session.plan(session.uniqueConfig());
    const directory = session.track(await writeBuildContext(plan.rendered, 'cold'));
    const tag = session.tag('cli');
    const { ms } = await dockerBuild({ directory, tag, noCache: true, labels: runs.buildLabels ?? {}, network: session.network });
    runs.cliMs.push(ms);
    runs.images.cli.push(tag);
    progress(`cold: docker build --no-cache, default recipe: ${Math.round(ms)} ms`);
  };
  const oursEquivalent: Step = async () => {
    const { ms, value } = await timed(() => session.ensure(session.uniqueConfig(OPENDEVIN_EQUIVALENT)));
    runs.oursEquivalentMs.push(ms);
    runs.images.oursEquivalent.push(value.imageName);
    progress(`cold: library, ssh + wget + sudo: ${Math.round(ms)} ms`);
  };
  const opendevin: Step = async () => {
    const tag = session.tag('opendevin');
    const { ms } = await dockerBuild({ directory: opendevinContext, tag, noCache: true, network: session.network });
    runs.opendevinMs.push(ms);
    runs.images.opendevin.push(tag);
    progress(`cold: OpenDevin's step: ${Math.round(ms)} ms`);
  };

  const buildKit: Step = async () => {
    const plan = await session.plan(session.uniqueConfig());
    const tag = session.tag('buildkit');
    const ms = await buildKitBuild(session, plan.rendered, tag, runs.buildLabels ?? {});
    runs.buildKitMs.push(ms);
    runs.images.buildKit.push(tag);
    progress(`cold: BuildKit through the Engine API, default recipe: ${Math.round(ms)} ms`);
  };

  await warmUp(session);
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [ours, cli, oursEquivalent, opendevin] : [cli, ours, opendevin, oursEquivalent];
    if (withBuildKit) order.splice(2, 0, buildKit);
    for (const step of order) await retryOnce(step);
  }
  return runs as ColdBuildRuns;
}

/**
 * Builds the default recipe once, untimed. In two runs on the shared machine the first build
 * took four to six times as long as the later ones, and that should not fall on whichever
 * side goes first.
 */
async function warmUp(session: BenchSession): Promise<void> {
  const { ms } = await timed(() => session.ensure(session.uniqueConfig()));
  progress(`cold: warm-up build, untimed: ${Math.round(ms)} ms`);
}

/**
 * Runs a build step, and once more when it fails: a build needs Debian's package mirror,
 * and a transient failure (such as a DNS lookup that timed out) should not end the run.
 */
async function retryOnce(step: Step): Promise<void> {
  try {
    await step();
  } catch (error) {
    progress(`cold: build failed, retrying once: ${(error as Error).message.split('\n')[0]}`);
    await step();
  }
}

/** Medians and ratios of the cold builds. */
export function coldBuildFigures(runs: ColdBuildRuns): ColdBuildFigures {
  const oursMs = median(runs.oursMs);
  const dockerCliMs = median(runs.cliMs);
  const opendevinMs = median(runs.opendevinMs);
  return {
    oursMs,
    dockerCliMs,
    ratio: oursMs / dockerCliMs,
    opendevinMs,
    vsOpendevin: median(runs.oursEquivalentMs) / opendevinMs,
  };
}

/**
 * Returns the labels the library added to its build request: those on the image that neither the
 * rendered Dockerfile nor the base image set.
 */
async function requestLabels(session: BenchSession, config: SandboxConfigInput, imageName: string): Promise<Record<string, string>> {
  const plan = await session.plan(config);
  const image = await session.docker.getImage(imageName).inspect();
  const base = await session.docker.getImage(plan.baseReference).inspect();
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(image.Config.Labels ?? {})) {
    if (key in plan.rendered.labels || base.Config.Labels?.[key] === value) continue;
    labels[key] = value;
  }
  return labels;
}
