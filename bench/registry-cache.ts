// Times engine B's `ensure` when the derived image comes from the registry, next to a plain
// `docker pull` of the same image on the same engine, in one run.
//
//   sudo bash scripts/engine-up.sh && sudo bash scripts/registry-up.sh && sudo bash scripts/second-engine-up.sh
//   npx tsx bench/registry-cache.ts [--rounds N]
//
// Engine A (the default Docker engine) builds and pushes the image to 127.0.0.1:5000 once.
// Each round removes the derived image from engine B, times `ensure` there, removes it again
// and times `docker -H <B> pull`; the order alternates between rounds. Engine B keeps the base
// image, so both methods fetch only the derived layers. Prints a Markdown section.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Dockerode from 'dockerode';

// The library imports `provision.sh` as text, which tsup's loader does in the build; these
// hooks do the same under tsx. They must be registered before the library's modules load.
const SHELL_TEXT_HOOKS = `
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
export async function load(url, context, nextLoad) {
  if (!url.endsWith('.sh')) return nextLoad(url, context);
  const text = await readFile(fileURLToPath(url), 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}`;
register(`data:text/javascript,${encodeURIComponent(SHELL_TEXT_HOOKS)}`);
const { SandboxImageManager } = await import('../src/index.js');

const REGISTRY = '127.0.0.1:5000';
const BASE = 'debian:bookworm-slim';
const engineBSocket = process.env.SANDBOX_IMAGE_ENGINE_B_SOCKET ?? '/var/run/sandbox-image-engine-b.sock';
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);

const dockerA = new Dockerode();
const dockerB = new Dockerode({ socketPath: engineBSocket });
const repository = `${REGISTRY}/sandbox-image-bench-${randomBytes(4).toString('hex')}/sandbox`;
const config = { baseImage: BASE, imageRepository: repository };

function dockerCli(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** Loads engine A's base image into engine B unless B already has it with the same ID. */
async function copyBaseToEngineB(): Promise<void> {
  const onA = await dockerA.getImage(BASE).inspect();
  const onB = await dockerB.getImage(BASE).inspect().catch(() => undefined);
  if (onB?.Id === onA.Id) return;
  const loaded = await dockerB.loadImage(await dockerA.getImage(BASE).get(), { quiet: true });
  await new Promise((resolve, reject) => dockerB.modem.followProgress(loaded, (error) => (error ? reject(error) : resolve(undefined))));
}

async function removeFromEngineB(imageName: string): Promise<void> {
  await dockerB.getImage(imageName).remove({ force: true }).catch(() => undefined);
}

async function timeEnsureOnB(): Promise<number> {
  const manager = new SandboxImageManager({ docker: dockerB, configFile: false, config, env: {} });
  const started = performance.now();
  const result = await manager.ensure();
  const elapsed = performance.now() - started;
  if (!result.pulled || result.built) throw new Error(`ensure on engine B did not pull: ${JSON.stringify(result)}`);
  return elapsed;
}

function timeDockerPullOnB(imageName: string): number {
  const started = performance.now();
  dockerCli('-H', `unix://${engineBSocket}`, 'pull', '-q', imageName);
  return performance.now() - started;
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function machine(): string {
  const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const engineA = dockerCli('version', '--format', '{{.Server.Version}}');
  const engineB = dockerCli('-H', `unix://${engineBSocket}`, 'version', '--format', '{{.Server.Version}}');
  return `${model}, ${cpus().length} cores; engine A Docker ${engineA}, engine B Docker ${engineB} (second dockerd, own data root); registry: Debian's docker-registry on ${REGISTRY}, loopback`;
}

async function main(): Promise<void> {
  await copyBaseToEngineB();
  const built = await new SandboxImageManager({ docker: dockerA, configFile: false, config: { ...config, push: true }, env: {} }).ensure();
  const imageName = built.imageName;
  const size = (await dockerA.getImage(imageName).inspect()).Size;
  const baseSize = (await dockerA.getImage(BASE).inspect()).Size;

  const ensureTimes: number[] = [];
  const pullTimes: number[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['ensure', 'pull'] : ['pull', 'ensure'];
      for (const method of order) {
        await removeFromEngineB(imageName);
        if (method === 'ensure') ensureTimes.push(await timeEnsureOnB());
        else pullTimes.push(timeDockerPullOnB(imageName));
      }
    }
  } finally {
    await removeFromEngineB(imageName);
    await dockerA.getImage(imageName).remove({ force: true }).catch(() => undefined);
  }

  const derivedMb = ((size - baseSize) / 1e6).toFixed(1);
  console.log(`## Registry cache (engine B)

Engine B pulls the derived image that engine A built and pushed, instead of building it.
Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/registry-cache.ts --rounds ${rounds}\`, in one run.

Machine: ${machine()}.

Image: ${BASE} derived with the default recipe, ${(size / 1e6).toFixed(1)} MB, of which ${derivedMb} MB are the derived layers that each
pull fetches (engine B keeps the base image, so both methods skip the base layer).

| method on engine B | median | samples |
| --- | --- | --- |
| \`ensure\` (lookup, pull, freshness check) | ${seconds(median(ensureTimes))} | ${ensureTimes.map(seconds).join(', ')} |
| \`docker -H <B> pull\` of the same image | ${seconds(median(pullTimes))} | ${pullTimes.map(seconds).join(', ')} |`);
}

await main();
