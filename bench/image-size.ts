import { imageSize } from './engine.js';
import type { ColdBuildRuns } from './cold-build.js';
import { BASE_IMAGE, type BenchSession } from './session.js';
import { median } from './stats.js';

/** Bytes each recipe adds over the base image. */
export interface ImageSizeFigures {
  oursAddedBytes: number;
  opendevinAddedBytes: number;
  ratio: number;
  /** The default recipe alone (a user with passwordless sudo), through the library. */
  defaultAddedBytes: number;
}

/**
 * Measures the images of the cold builds: each image's size (all its layers, as the engine
 * reports it) minus the base image's size, the median over the rounds.
 */
export async function imageSizeFigures(session: BenchSession, runs: ColdBuildRuns): Promise<ImageSizeFigures> {
  const base = await imageSize(session.docker, BASE_IMAGE);
  const added = async (names: string[]) => median(await Promise.all(names.map(async (name) => (await imageSize(session.docker, name)) - base)));
  const oursAddedBytes = await added(runs.images.oursEquivalent);
  const opendevinAddedBytes = await added(runs.images.opendevin);
  return {
    oursAddedBytes,
    opendevinAddedBytes,
    ratio: oursAddedBytes / opendevinAddedBytes,
    defaultAddedBytes: await added(runs.images.ours),
  };
}
