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
  /**
   * Only consider derived images of this repository, such as `localhost/sandbox-image`.
   * @default every repository
   */
  repository?: string;
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
 * Whether a derived image belongs to `repository`: by its `sandbox-image.repository` label,
 * or, for images built before that label existed, by one of its tags.
 */
export function inRepository(image: ImageSummary, repository: string): boolean {
  const labelled = image.labels[LABELS.repository];
  if (labelled !== undefined) return labelled === repository;
  return image.repoTags.some((tag) => tag.startsWith(`${repository}:`));
}

/**
 * Chooses what to remove: for each base (the `sandbox-image.base.ref` label), all but the
 * newest `keep`, and of those only the ones created before `now - olderThan`. Pure; `images`
 * must be sorted newest first.
 */
export function selectPrunable(images: readonly ImageSummary[], options: PruneOptions, now: number): { remove: ImageSummary[]; keep: ImageSummary[] } {
  const keepCount = options.keep ?? 0;
  const cutoffSeconds = (now - (options.olderThan ?? 0)) / 1000;
  const seenPerBase = new Map<string, number>();
  const selection = { remove: [] as ImageSummary[], keep: [] as ImageSummary[] };
  for (const image of images) {
    if (options.repository !== undefined && !inRepository(image, options.repository)) continue;
    const base = image.labels[LABELS.baseRef] ?? '';
    const index = seenPerBase.get(base) ?? 0;
    seenPerBase.set(base, index + 1);
    if (index < keepCount || image.created > cutoffSeconds) selection.keep.push(image);
    else selection.remove.push(image);
  }
  return selection;
}

/**
 * Removes derived images chosen by {@link selectPrunable}. Images without the library's
 * labels are never touched, and tags outside the pruned repository are left in place.
 */
export async function pruneDerivedImages(client: DockerClient, options: PruneOptions = {}, now = Date.now()): Promise<PruneResult> {
  const selection = selectPrunable(await listDerivedImages(client), options, now);
  const result: PruneResult = { removed: [], kept: selection.keep, failed: [] };
  for (const image of selection.remove) {
    if (options.dryRun) result.removed.push(image);
    else await removeOne(client, image, options.repository ?? image.labels[LABELS.repository], result);
  }
  return result;
}

/**
 * Removes the image's tags in its repository (all its tags when the repository is unknown),
 * then the image itself unless it still carries tags elsewhere. No removal is forced, so an
 * image used by a container stays and is reported as failed.
 */
async function removeOne(client: DockerClient, image: ImageSummary, repository: string | undefined, result: PruneResult): Promise<void> {
  const ownTags = repository === undefined ? image.repoTags : image.repoTags.filter((tag) => tag.startsWith(`${repository}:`));
  const otherTags = image.repoTags.filter((tag) => !ownTags.includes(tag));
  try {
    for (const tag of ownTags) await client.removeImage(tag);
    if (otherTags.length === 0 && ownTags.length === 0) await client.removeImage(image.id);
    log.main('pruned %s (%s)', ownTags.join(', ') || '<untagged>', image.id);
    result.removed.push(image);
  } catch (error) {
    if (!isSandboxImageError(error)) throw error;
    log.main('could not prune %s: %s', image.id, error.message);
    result.failed.push({ image, message: error.message });
  }
}
