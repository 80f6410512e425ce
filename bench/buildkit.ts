import { Readable } from 'node:stream';
import { packBuildContext } from '../src/engine/context-tar.js';
import type { RenderedRecipe } from '../src/recipe/render.js';
import type { BenchSession } from './session.js';
import { timed } from './stats.js';

/**
 * Builds a rendered recipe with BuildKit and no cache through the Engine API (`version=2`),
 * as `docker buildx build --no-cache` would on this engine, and returns the wall time. The
 * engine's BuildKit accepts the context as the request body, so no buildx session is needed.
 */
export async function buildKitBuild(session: BenchSession, rendered: RenderedRecipe, tag: string, labels: Record<string, string>): Promise<number> {
  const context = await packBuildContext(rendered.dockerfile, rendered.files);
  const { ms } = await timed(async () => {
    const stream = await session.docker.buildImage(Readable.from([Buffer.from(context)]), {
      t: tag,
      version: '2',
      nocache: true,
      labels,
      ...(session.network ? { networkmode: session.network } : {}),
    } as object);
    let output = '';
    for await (const chunk of stream as NodeJS.ReadableStream) output += chunk.toString();
    const failure = output.split('\n').find((line) => line.startsWith('{"error'));
    if (failure) throw new Error(`BuildKit build of ${tag} failed: ${failure}`);
  });
  return ms;
}
