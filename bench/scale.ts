import type { ExistingImage } from './cache-hit.js';
import { loadLabelledCopies } from './image-archive.js';
import { progress } from './progress.js';
import { removeTags, type BenchSession } from './session.js';
import { median, timed } from './stats.js';

/** Cache-hit latency with many derived images on the engine, against one. */
export interface ScaleFigures {
  images: number;
  /** Median over the cycles of each cycle's ratio. */
  latencyRatio: number;
  /** Per cycle: median with many images / median of the runs with one image just before and after. */
  cycleRatios: number[];
  /** Median cache-hit time with only the probed image in the session's repository. */
  oneMedianMs: number;
  /** Median cache-hit time with `images` derived images present. */
  manyMedianMs: number;
  /** Wall time to create the derived images, once. */
  createMs: number;
}

/**
 * Measures cache hits with one derived image and with `count` more, in `cycles` cycles of
 * "one, many" and a last "one". Each "many" phase is compared with the "one" phases around
 * it, so that drift in load from other work on the engine falls on both sides. The extra images are distinct images, each with its own `sandbox-image.recipe`
 * label, image ID and tag in the same repository, sharing the probed image's layers as
 * derived images of one base share the base's layers. Tags of one image would grow only the
 * engine's reference store, not its image store.
 */
export async function benchScale(session: BenchSession, image: ExistingImage, count: number, runs: number, cycles: number): Promise<ScaleFigures> {
  const sample = async () => {
    const times: number[] = [];
    for (let run = 0; run < runs; run += 1) times.push((await timed(() => session.ensure(image.config))).ms);
    return times;
  };
  const one: number[][] = [];
  const many: number[][] = [];
  let createMs = 0;
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    one.push(await sample());
    const created = await timed(() => createDerivedImages(session, image.imageName, count));
    createMs += created.ms;
    many.push(await sample());
    await removeTags(session.docker, created.value);
    progress(`scale: cycle ${cycle + 1}: cache hit ${median(one.at(-1)!).toFixed(1)} ms with 1, ${median(many.at(-1)!).toFixed(1)} ms with ${count}`);
  }
  one.push(await sample());

  // Each cycle compares its "many" runs with the "one" runs on either side of them.
  const cycleRatios = many.map((times, cycle) => median(times) / median([...one[cycle]!, ...one[cycle + 1]!]));
  return {
    images: count,
    latencyRatio: median(cycleRatios),
    cycleRatios,
    oneMedianMs: median(one.flat()),
    manyMedianMs: median(many.flat()),
    createMs: createMs / cycles,
  };
}

/** Creates `count` derived images in one `docker load` and returns their tags. */
async function createDerivedImages(session: BenchSession, parent: string, count: number): Promise<string[]> {
  const tags = Array.from({ length: count }, () => session.tag('scale'));
  await loadLabelledCopies(session.docker, parent, tags);
  return tags;
}
