import type { DockerClient, ImageSummary } from '../engine/types.js';
import { isSandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { LABELS } from './labels.js';

/** Options of `prune`. */
export interface PruneOptions {
  /**
   * How many of the newest derived images to keep for each base image.
   * @default 0
   */
  keep?: number;
  /**
   * Only remove images created more than this many milliseconds ago.
   * @default 0 (any age)
   */
  olderThan?: number;
  /**
   * Report what would be removed without removing it.
   * @default false
   */
  dryRun?: boolean;
}

/** The outcome of `prune`. */
export interface PruneResult {
  removed: ImageSummary[];
  kept: ImageSummary[];
  /** Images the engine refused to remove, such as images used by a container. */
  failed: { image: ImageSummary; message: string }[];
}

/** Lists the library's derived images, found by the `sandbox-image.recipe` label, newest first. */
export async function listDerivedImages(client: DockerClient): Promise<ImageSummary[]> {
  const images = await client.listImages([LABELS.recipe]);
  return images.sort((a, b) => b.created - a.created);
}

/**
 * Removes derived images: for each base (the `sandbox-image.base.ref` label), all but the
 * newest `keep`, and of those only the ones older than `olderThan`. Images without the
 * library's labels are never touched.
 */
export async function pruneDerivedImages(client: DockerClient, options: PruneOptions = {}, now = Date.now()): Promise<PruneResult> {
  const keep = options.keep ?? 0;
  const cutoffSeconds = (now - (options.olderThan ?? 0)) / 1000;
  const byBase = new Map<string, ImageSummary[]>();
  for (const image of await listDerivedImages(client)) {
    const base = image.labels[LABELS.baseRef] ?? '';
    byBase.set(base, [...(byBase.get(base) ?? []), image]);
  }

  const result: PruneResult = { removed: [], kept: [], failed: [] };
  for (const images of byBase.values()) {
    for (const [index, image] of images.entries()) {
      if (index < keep || image.created > cutoffSeconds) {
        result.kept.push(image);
        continue;
      }
      if (options.dryRun) {
        result.removed.push(image);
        continue;
      }
      await removeOne(client, image, result);
    }
  }
  return result;
}

async function removeOne(client: DockerClient, image: ImageSummary, result: PruneResult): Promise<void> {
  try {
    // Removing by each tag first keeps an image that is also tagged elsewhere from a forced delete.
    for (const tag of image.repoTags) await client.removeImage(tag);
    await client.removeImage(image.id);
    log.main('pruned %s (%s)', image.repoTags.join(', ') || '<untagged>', image.id);
    result.removed.push(image);
  } catch (error) {
    if (!isSandboxImageError(error)) throw error;
    log.main('could not prune %s: %s', image.id, error.message);
    result.failed.push({ image, message: error.message });
  }
}
