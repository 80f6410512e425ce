import type { CacheHitFigures } from './cache-hit.js';
import type { ColdBuildFigures, ColdBuildRuns } from './cold-build.js';
import type { ConcurrencyFigures } from './concurrency.js';
import type { ImageSizeFigures } from './image-size.js';
import type { MachineFacts } from './machine.js';
import type { ScaleFigures } from './scale.js';
import { median, round } from './stats.js';

/** Everything one benchmark run measured. */
export interface BenchResults {
  machine: MachineFacts;
  cacheHit: CacheHitFigures;
  coldBuild: ColdBuildFigures;
  coldRuns: ColdBuildRuns;
  imageSize: ImageSizeFigures;
  concurrency: ConcurrencyFigures;
  scale: ScaleFigures;
  totalMs: number;
}

/** Builds the object that `--json` prints, with exactly the figures the benchmark promises. */
export function jsonReport(results: BenchResults): object {
  const { cacheHit, coldBuild, imageSize, concurrency, scale } = results;
  return {
    cacheHit: {
      oursMedianMs: round(cacheHit.oursMedianMs, 2),
      dockerBuildWarmMedianMs: round(cacheHit.dockerBuildWarmMedianMs, 1),
      speedup: round(cacheHit.speedup, 1),
      apiCalls: cacheHit.apiCalls,
    },
    coldBuild: {
      oursMs: round(coldBuild.oursMs),
      dockerCliMs: round(coldBuild.dockerCliMs),
      ratio: round(coldBuild.ratio, 3),
      opendevinMs: round(coldBuild.opendevinMs),
      vsOpendevin: round(coldBuild.vsOpendevin, 3),
    },
    imageSize: {
      oursAddedBytes: imageSize.oursAddedBytes,
      opendevinAddedBytes: imageSize.opendevinAddedBytes,
      ratio: round(imageSize.ratio, 3),
    },
    concurrency: {
      callers: concurrency.callers,
      processes: concurrency.processes,
      builds: concurrency.builds,
      wallRatio: round(concurrency.wallRatio, 3),
    },
    scale: { images: scale.images, latencyRatio: round(scale.latencyRatio, 3) },
  };
}

type Row = [figure: string, value: string, target: string, met: string];

const check = (held: boolean) => (held ? 'yes' : 'NO');
const ms = (value: number) => (value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const samples = (values: number[]) => values.map((value) => Math.round(value)).join(', ');

/** Formats the report as a Markdown table of the figures with their targets, then the extra figures. */
export function tableReport(results: BenchResults): string {
  const { cacheHit, coldBuild, coldRuns, imageSize, concurrency, scale, machine } = results;
  const rows: Row[] = [
    ['cache hit: ensureSandboxImage, median', ms(cacheHit.oursMedianMs), '', ''],
    ['cache hit: docker build (warm cache), median', ms(cacheHit.dockerBuildWarmMedianMs), '', ''],
    ['cache hit: speedup', `${cacheHit.speedup.toFixed(1)}x`, '>= 50', check(cacheHit.speedup >= 50)],
    ['cache hit: Engine API calls', String(cacheHit.apiCalls), '<= 2', check(cacheHit.apiCalls <= 2)],
    ['cold build: library, median', ms(coldBuild.oursMs), '', ''],
    ['cold build: docker build --no-cache, median', ms(coldBuild.dockerCliMs), '', ''],
    ['cold build: ratio library / CLI', coldBuild.ratio.toFixed(3), '<= 1.05', check(coldBuild.ratio <= 1.05)],
    ["cold build: OpenDevin's step, median", ms(coldBuild.opendevinMs), '', ''],
    ['cold build: library (ssh, wget, sudo), median', ms(median(coldRuns.oursEquivalentMs)), '', ''],
    ['cold build: vs OpenDevin', coldBuild.vsOpendevin.toFixed(3), '<= 0.4', check(coldBuild.vsOpendevin <= 0.4)],
    ['image size: library (ssh, wget, sudo) adds', mb(imageSize.oursAddedBytes), '', ''],
    ["image size: OpenDevin's step adds", mb(imageSize.opendevinAddedBytes), '', ''],
    ['image size: ratio', imageSize.ratio.toFixed(3), '<= 0.2', check(imageSize.ratio <= 0.2)],
    ['concurrency: builds (engine tag events)', String(concurrency.builds), '= 1', check(concurrency.builds === 1)],
    ['concurrency: wall / one uncontended build', concurrency.wallRatio.toFixed(3), '<= 1.15', check(concurrency.wallRatio <= 1.15)],
    [`scale: cache hit with ${scale.images} / with 1`, scale.latencyRatio.toFixed(3), '<= 1.1', check(scale.latencyRatio <= 1.1)],
  ];
  const extras: [string, string][] = [
    ['image size: default recipe alone adds', mb(imageSize.defaultAddedBytes)],
    ['cache hit: docker build reused every layer (same image ID each run)', cacheHit.dockerBuildFullyCached ? 'yes' : 'no'],
    ['cache hit: calls per method', Object.entries(cacheHit.callsByMethod).map(([name, count]) => `${name} ${count}`).join(', ')],
    ['cache hit: manager.ensure on a long-lived manager, median', ms(cacheHit.managerReuseMedianMs)],
    ['hot path: manager.plan (config, recipe, name), median', ms(cacheHit.planMedianMs)],
    ['hot path: the two image inspections alone, one after the other, median', ms(cacheHit.inspectPairMedianMs)],
    ['hot path: the same two inspections concurrently, median', ms(cacheHit.inspectPairConcurrentMedianMs)],
    ['cold build: library / CLI per round', coldRuns.oursMs.map((value, index) => (value / coldRuns.cliMs[index]!).toFixed(2)).join(', ')],
    ['cold build: library (ssh, wget, sudo) / OpenDevin per round', coldRuns.oursEquivalentMs.map((value, index) => (value / coldRuns.opendevinMs[index]!).toFixed(2)).join(', ')],
    ...(coldRuns.buildKitMs.length > 0
      ? [['cold build: BuildKit (Engine API, no cache), median / library median', `${ms(median(coldRuns.buildKitMs))} / ${ms(coldBuild.oursMs)}`] as [string, string]]
      : []),
    ['cold build samples: library, default (ms)', samples(coldRuns.oursMs)],
    ['cold build samples: docker build --no-cache (ms)', samples(coldRuns.cliMs)],
    ['cold build samples: library, ssh + wget + sudo (ms)', samples(coldRuns.oursEquivalentMs)],
    ["cold build samples: OpenDevin's step (ms)", samples(coldRuns.opendevinMs)],
    ['concurrency: wall time / uncontended build (mean of one before, one after)', `${ms(concurrency.wallMs)} / ${ms(concurrency.uncontendedMs)}`],
    ['concurrency: calls reporting built', String(concurrency.callsReportingBuilt)],
    ['concurrency: building call / slowest waiter after it', `${ms(concurrency.buildingCallMs)} / +${ms(concurrency.lastWaiterLagMs)}`],
    [`scale: cache hit with 1 / with ${scale.images}, median of all runs`, `${ms(scale.oneMedianMs)} / ${ms(scale.manyMedianMs)}`],
    ['scale: ratio per cycle', scale.cycleRatios.map((ratio) => ratio.toFixed(2)).join(', ')],
    [`scale: time to load ${scale.images} derived images`, ms(scale.createMs)],
  ];
  return [
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.engine}; docker CLI ${machine.dockerCli}; ${machine.imagesOnEngine} tagged images on the engine at the start; ${machine.date}`,
    '',
    '| Figure | Value | Target | Met |',
    '| --- | ---: | --- | --- |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    '| Extra figure | Value |',
    '| --- | ---: |',
    ...extras.map((row) => `| ${row.join(' | ')} |`),
    '',
    `Total benchmark time: ${Math.round(results.totalMs / 1000)} s`,
  ].join('\n');
}
