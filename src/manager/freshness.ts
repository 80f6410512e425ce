import type { SandboxConfig } from '../config/types.js';
import type { DockerClient, ImageDetails } from '../engine/types.js';
import { LABELS } from './labels.js';

/** The outcome of checking an existing derived image. */
export type Freshness =
  | { fresh: true; baseImageId: string | undefined }
  | { fresh: false; reason: string };

/**
 * Decides whether an existing derived image can be reused. Pure: `base` is the local base
 * image, or `undefined` when it is absent or was not inspected.
 *
 * - `rebuild: 'always'` never reuses;
 * - `rebuild: 'never'` always reuses;
 * - `rebuild: 'if-stale'` reuses unless the base image ID differs from the
 *   `sandbox-image.base.id` label, or a configured platform differs from the image's.
 *   When the base is not present locally its ID cannot be compared, and the image is reused.
 */
export function decideFreshness(
  derived: ImageDetails,
  base: ImageDetails | undefined,
  baseReference: string,
  config: Pick<SandboxConfig, 'rebuild' | 'platform'>,
): Freshness {
  if (config.rebuild === 'always') return { fresh: false, reason: 'rebuild is "always"' };
  const labelledBaseId = derived.labels[LABELS.baseId];
  if (config.rebuild === 'never') return { fresh: true, baseImageId: labelledBaseId };

  const labelledPlatform = derived.labels[LABELS.platform];
  if (config.platform && labelledPlatform && labelledPlatform !== config.platform) {
    return { fresh: false, reason: `the image is for ${labelledPlatform}, not ${config.platform}` };
  }
  if (!base) return { fresh: true, baseImageId: labelledBaseId };
  if (base.id !== labelledBaseId) {
    return { fresh: false, reason: `base ${baseReference} is now ${base.id}, the image was built from ${labelledBaseId ?? 'an unknown base'}` };
  }
  return { fresh: true, baseImageId: base.id };
}

/** Tells whether {@link decideFreshness} needs the base image under this config. */
export function needsBase(config: Pick<SandboxConfig, 'rebuild'>): boolean {
  return config.rebuild === 'if-stale';
}

/**
 * Checks an existing derived image with at most one more Engine API call, an inspect of the
 * base, made only under `rebuild: 'if-stale'`.
 */
export async function checkFreshness(
  client: DockerClient,
  derived: ImageDetails,
  baseReference: string,
  config: Pick<SandboxConfig, 'rebuild' | 'platform'>,
  signal: AbortSignal | undefined,
): Promise<Freshness> {
  const base = needsBase(config) ? await client.inspectImage(baseReference, signal) : undefined;
  return decideFreshness(derived, base, baseReference, config);
}
