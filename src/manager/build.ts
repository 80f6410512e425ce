import { performance } from 'node:perf_hooks';
import { packBuildContext } from '../engine/context-tar.js';
import { abortedError } from '../engine/engine-errors.js';
import type { DockerClient } from '../engine/types.js';
import { SandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { VERSION } from '../version.js';
import { ensureBaseImage } from './base-image.js';
import { LABELS, buildTimeLabels, platformOf } from './labels.js';
import type { EnsurePlan, EnsureResult } from './manager.js';
import type { ProgressListener } from './progress.js';

/**
 * Builds the derived image of a plan and tags it: base present, build untagged, verify
 * its labels, then tag. Nothing is tagged when any step fails or the signal fires.
 */
export async function buildDerivedImage(
  client: DockerClient,
  plan: EnsurePlan,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Omit<EnsureResult, 'durationMs'>> {
  const base = await ensureBaseImage(client, plan.base, plan.baseReference, plan.config, signal, emit, env);
  const platform = plan.config.platform ?? platformOf(base);
  const context = await packBuildContext(plan.rendered.dockerfile, plan.rendered.files);

  const started = performance.now();
  emit({ type: 'build-started', imageName: plan.imageName });
  log.build('Building %s from %s (%s)…', plan.imageName, plan.baseReference, base.id);
  const imageId = await client.buildImage({
    context,
    labels: buildTimeLabels(VERSION, base, platform),
    platform: plan.config.platform,
    networkMode: plan.config.buildNetwork,
    signal,
    onEvent: (event) => {
      if (event.type === 'build-output') log.build('%s', event.line);
      emit(event);
    },
  });

  const built = await client.inspectImage(imageId, signal);
  if (signal?.aborted) {
    await client.removeImage(imageId).catch(() => undefined);
    throw abortedError(`build ${plan.imageName}`, signal);
  }
  if (!built || built.labels[LABELS.recipe] !== plan.rendered.fingerprint) {
    throw new SandboxImageError(
      'BUILD_FAILED',
      `The engine reported image ${imageId} for ${plan.imageName}, but it does not carry the expected recipe label. ` +
        'Another build may have raced this one; retry.',
      { details: { image: plan.imageName } },
    );
  }

  const colon = plan.imageName.lastIndexOf(':');
  await client.tagImage(built.id, plan.imageName.slice(0, colon), plan.imageName.slice(colon + 1));
  const durationMs = Math.round(performance.now() - started);
  log.build('Built %s (%s) in %d ms', plan.imageName, built.id, durationMs);
  emit({ type: 'build-finished', imageName: plan.imageName, imageId: built.id, durationMs });
  return { imageName: plan.imageName, imageId: built.id, built: true, pulled: false, baseImage: plan.baseReference, baseImageId: base.id };
}
