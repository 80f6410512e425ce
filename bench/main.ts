import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { benchCacheHit } from './cache-hit.js';
import { coldBuildFigures, runColdBuilds } from './cold-build.js';
import { benchConcurrency } from './concurrency.js';
import { imageSizeFigures } from './image-size.js';
import { machineFacts } from './machine.js';
import { progress } from './progress.js';
import { jsonReport, tableReport, type BenchResults } from './report.js';
import { benchScale } from './scale.js';
import { BenchSession } from './session.js';

const { values: options } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'hit-runs': { type: 'string', default: '30' },
    'cold-runs': { type: 'string', default: '3' },
    'scale-images': { type: 'string', default: '500' },
    'scale-cycles': { type: 'string', default: '6' },
    'build-network': { type: 'string' },
    buildkit: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const HELP = `Usage: npm run bench -- [options]

Benchmarks sandbox-image against docker build on the local engine and prints a table.
Progress goes to stderr. Every image it creates is removed at the end.

  --json              print one JSON object instead of the table
  --hit-runs N        cache-hit runs per side, and per scale phase (default 30)
  --cold-runs N       rounds of cold builds (default 3)
  --scale-images N    derived images created for the scale figure (default 500)
  --scale-cycles N    cycles of creating and removing them (default 6)
  --buildkit          also time BuildKit builds of the default recipe (extra figure)
  --build-network NET network of RUN steps on both sides, such as host
                      (default: the engine's default network)
`;

function count(name: 'hit-runs' | 'cold-runs' | 'scale-images' | 'scale-cycles', minimum: number): number {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`--${name} must be an integer of at least ${minimum}, got ${options[name]}`);
  return value;
}

async function main(): Promise<void> {
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  const hitRuns = count('hit-runs', 1);
  const coldRounds = count('cold-runs', 1);
  const scaleImages = count('scale-images', 1);
  const started = performance.now();
  const session = new BenchSession(options['build-network']);
  progress(`images go to ${session.repository}`);
  try {
    const machine = await machineFacts(session.docker);
    const coldRuns = await runColdBuilds(session, coldRounds, options.buildkit);
    const coldBuild = coldBuildFigures(coldRuns);
    const imageSize = await imageSizeFigures(session, coldRuns);
    const cacheHit = await benchCacheHit(session, coldRuns.last, coldRuns.buildLabels, hitRuns);
    const scale = await benchScale(session, coldRuns.last, scaleImages, hitRuns, count('scale-cycles', 1));
    const concurrency = await benchConcurrency(session, 4, 2);
    const results: BenchResults = { machine, cacheHit, coldBuild, coldRuns, imageSize, concurrency, scale, totalMs: performance.now() - started };
    const json = JSON.stringify(jsonReport(results));
    process.stdout.write(options.json ? `${json}\n` : `${tableReport(results)}\n\nJSON: ${json}\n`);
  } finally {
    await session.cleanup();
  }
}

await main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
