import { performance } from 'node:perf_hooks';
import { packBuildContext } from '../engine/context-tar.js';
import { abortedError } from '../engine/engine-errors.js';
import type { DockerClient, ImageDetails } from '../engine/types.js';
import { SandboxImageError, isSandboxImageError } from '../errors.js';
import { log } from '../log.js';
import { VERSION } from '../version.js';
import { LABELS, buildTimeLabels, platformOf } from './labels.js';
import type { EnsurePlan, EnsureResult } from './manager.js';
import type { ProgressListener } from './progress.js';

/**
 * Builds the derived image of a plan from a present base and tags it: build untagged, verify
 * its labels, then tag. Nothing is tagged when any step fails or the signal fires.
 *
 * @throws {SandboxImageError} `BUILD_FAILED` with the failing step, exit code and output tail;
 *   `ABORTED` when the signal fires.
 */
export async function buildDerivedImage(
  client: DockerClient,
  plan: EnsurePlan,
  base: ImageDetails,
  signal: AbortSignal | undefined,
  emit: ProgressListener,
): Promise<Omit<EnsureResult, 'durationMs'>> {
  const platform = plan.config.platform ?? platformOf(base);
  const context = await packBuildContext(plan.rendered.dockerfile, plan.rendered.files);
  const repository = plan.imageName.slice(0, plan.imageName.lastIndexOf(':'));
  const tag = plan.imageName.slice(repository.length + 1);

  const started = performance.now();
  emit({ type: 'build-started', imageName: plan.imageName });
  log.build('Building %s from %s (%s)…', plan.imageName, plan.baseReference, base.id);
  let imageId: string;
  try {
    const reportedId = await client.buildImage({
      context,
      labels: buildTimeLabels({ version: VERSION, base, baseRepository: plan.base.name, platform, repository }),
      platform: plan.config.platform,
      networkMode: plan.config.buildNetwork,
      noCache: plan.config.rebuild === 'always',
      signal,
      onEvent: (event) => {
        if (event.type === 'build-output') log.build('%s', event.line);
        emit(event);
      },
    });
    imageId = await verifyAndTag(client, plan, reportedId, repository, tag, signal);
  } catch (error) {
    log.build('Build of %s failed after %d ms: %s', plan.imageName, Math.round(performance.now() - started), isSandboxImageError(error) ? error.code : error);
    throw error;
  }

  const durationMs = Math.round(performance.now() - started);
  log.build('Built %s (%s) in %d ms', plan.imageName, imageId, durationMs);
  emit({ type: 'build-finished', imageName: plan.imageName, imageId, durationMs });
  return { imageName: plan.imageName, imageId, built: true, pulled: false, baseImage: plan.baseReference, baseImageId: base.id };
}

/**
 * Tags the built image after checking that it is the image this plan asked for, and returns
 * its full ID. The check catches an engine that reports a wrong ID, such as an ID taken from
 * an unrelated stream line.
 */
async function verifyAndTag(
  client: DockerClient,
  plan: EnsurePlan,
  imageId: string,
  repository: string,
  tag: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const built = await client.inspectImage(imageId, signal);
  if (signal?.aborted) throw abortedError(`build ${plan.imageName}`, signal);
  if (!built || built.labels[LABELS.recipe] !== plan.rendered.fingerprint) {
    throw new SandboxImageError(
      'BUILD_FAILED',
      `The engine at ${client.address} reported image ${imageId} for ${plan.imageName}, but that image ` +
        `${built ? 'does not carry the expected recipe label' : 'does not exist'}. Check the engine's build output, then retry.`,
      { details: { image: plan.imageName, value: imageId, address: client.address } },
    );
  }
  await client.tagImage(built.id, repository, tag);
  return built.id;
}
