import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { progress } from './progress.js';
import { BASE_IMAGE, type BenchSession } from './session.js';
import { timed } from './stats.js';

const BENCH_DIRECTORY = dirname(fileURLToPath(import.meta.url));

/** Concurrency figures. */
export interface ConcurrencyFigures {
  callers: number;
  processes: number;
  /** Builds the engine saw: `tag` events of the derived image name during the run. */
  builds: number;
  wallRatio: number;
  wallMs: number;
  /** Mean time of the uncontended builds just before and after the concurrent run. */
  uncontendedMs: number;
  /** Calls that reported `built: true`, a cross-check of `builds`. */
  callsReportingBuilt: number;
  /** Duration the building call reported. */
  buildingCallMs: number;
  /** How much longer the slowest waiting call took than the building call. */
  lastWaiterLagMs: number;
}

interface CallerResult {
  built?: boolean;
  imageName?: string;
  durationMs?: number;
  error?: string;
}

/**
 * Starts `processes` child processes with `callersPerProcess` concurrent `ensureSandboxImage`
 * calls each, all for one derived image that no earlier build made, and releases them at
 * once. Every library build ends with a tag of the derived name, so the engine's `tag`
 * events count the builds. The reference is the mean of two uncontended builds of an
 * equivalent recipe, one just before and one just after, so drift in the engine's load
 * falls on both sides.
 */
export async function benchConcurrency(session: BenchSession, processes: number, callersPerProcess: number): Promise<ConcurrencyFigures> {
  const before = await uncontendedBuild(session);
  const config = session.uniqueConfig();
  const request = JSON.stringify({ baseImage: BASE_IMAGE, config, cwd: await session.cwd(), callers: callersPerProcess });
  const workers = Array.from({ length: processes }, () => startWorker(request));
  await Promise.all(workers.map((worker) => worker.ready));

  const sinceSeconds = Math.floor(Date.now() / 1000) - 1;
  const started = performance.now();
  for (const worker of workers) worker.child.stdin?.end('go\n');
  const results = (await Promise.all(workers.map((worker) => worker.results))).flat();
  const wallMs = performance.now() - started;

  const failures = results.filter((result) => result.error);
  if (failures.length > 0) throw new Error(`concurrent callers failed: ${failures.map((failure) => failure.error).join('; ')}`);
  // The name comes from the callers, which load the library's current sources.
  const names = new Set(results.map((result) => result.imageName));
  if (names.size !== 1) throw new Error(`concurrent callers returned different images: ${[...names].join(', ')}`);
  const builds = await countTagEvents(session, [...names][0]!, sinceSeconds);
  const buildingCallMs = results.find((result) => result.built)?.durationMs ?? 0;
  const uncontendedMs = (before + (await uncontendedBuild(session))) / 2;
  progress(`concurrency: ${results.length} callers, ${builds} builds, ${Math.round(wallMs)} ms; uncontended ${Math.round(uncontendedMs)} ms`);
  return {
    callers: processes * callersPerProcess,
    processes,
    builds,
    wallRatio: wallMs / uncontendedMs,
    wallMs,
    uncontendedMs,
    callsReportingBuilt: results.filter((result) => result.built).length,
    buildingCallMs,
    lastWaiterLagMs: Math.max(...results.map((result) => result.durationMs ?? 0)) - buildingCallMs,
  };
}

/** Times one build of the default recipe with no other caller. */
async function uncontendedBuild(session: BenchSession): Promise<number> {
  const { ms, value } = await timed(() => session.ensure(session.uniqueConfig()));
  if (!value.built) throw new Error(`expected a cold build of ${value.imageName}, got a cache hit`);
  return ms;
}

function startWorker(request: string): { child: ChildProcess; ready: Promise<void>; results: Promise<CallerResult[]> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIRECTORY, 'concurrency-worker.ts'), request], {
    cwd: join(BENCH_DIRECTORY, '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const results: CallerResult[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  lines.on('line', (line) => {
    if (line === 'ready') markReady();
    else results.push(JSON.parse(line) as CallerResult);
  });
  const finished = new Promise<CallerResult[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(results) : reject(new Error(`concurrency worker exited with code ${code}`))));
  });
  return { child, ready: Promise.race([ready, finished.then(() => undefined)]), results: finished };
}

/** Counts the engine's `tag` events for `imageName` from `sinceSeconds` until now. */
async function countTagEvents(session: BenchSession, imageName: string, sinceSeconds: number): Promise<number> {
  const until = Math.ceil(Date.now() / 1000) + 1;
  const stream = (await session.docker.getEvents({
    since: sinceSeconds,
    until,
    filters: JSON.stringify({ type: ['image'], event: ['tag'] }),
  })) as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { Actor?: { Attributes?: { name?: string } } })
    .filter((event) => event.Actor?.Attributes?.name === imageName).length;
}
