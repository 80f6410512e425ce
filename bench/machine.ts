import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type Dockerode from 'dockerode';

/** The facts about the machine that go next to the numbers. */
export interface MachineFacts {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  engine: string;
  dockerCli: string;
  /** Tagged images on the engine when the run started, the benchmark's own not included. */
  imagesOnEngine: number;
}

/** Reads the CPU model, core count, memory, the engine's and CLI's versions and the engine's image count. */
export async function machineFacts(docker: Dockerode): Promise<MachineFacts> {
  const version = await docker.version();
  const images = await docker.listImages();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    engine: `Docker Engine ${version.Version} (API ${version.ApiVersion})`,
    dockerCli: cliVersion(),
    imagesOnEngine: images.filter((image) => (image.RepoTags ?? []).some((tag) => tag !== '<none>:<none>')).length,
  };
}

function cpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return match?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}

function cliVersion(): string {
  try {
    return execFileSync('docker', ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
