import { describeSource } from '../config/resolve.js';
import { CONFIG_KEYS } from '../config/keys.js';
import type { SandboxConfigInput } from '../config/types.js';
import type { ImageSummary } from '../engine/types.js';
import { SandboxImageManager } from '../manager/manager.js';
import type { CommandLine } from './args.js';
import { liveDisplay, plainDisplay, type ProgressOutput } from './progress-display.js';

/** Where a command writes: stdout for results, stderr for progress. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressOutput;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

function managerFor(line: CommandLine, io: CommandIo): SandboxImageManager {
  const config: SandboxConfigInput = {};
  if (line.push) config.push = true;
  if (line.rebuild !== undefined) config.rebuild = line.rebuild as SandboxConfigInput['rebuild'];
  if (line.pull !== undefined) config.pull = line.pull as SandboxConfigInput['pull'];
  if (line.timeoutSeconds !== undefined) config.timeoutMs = Math.round(line.timeoutSeconds * 1000);
  return new SandboxImageManager({ config, configFile: line.configFile, env: io.env, cwd: io.cwd });
}

const print = (io: CommandIo, value: unknown) => io.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

export async function ensureCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const manager = managerFor(line, io);
  const display = line.quiet ? undefined : io.stderr.isTTY ? liveDisplay(io.stderr) : plainDisplay(io.stderr);
  try {
    const result = await manager.ensure({ baseImage: line.baseImage, onProgress: display?.handle });
    display?.stop();
    print(io, line.json ? result : result.imageName);
  } finally {
    display?.stop();
  }
}

export async function renderCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const plan = await managerFor(line, io).plan({ baseImage: line.baseImage });
  if (!line.json) return void io.stdout.write(plan.rendered.dockerfile);
  const files = plan.rendered.files.map((file) => ({ path: file.path, mode: `0${file.mode.toString(8)}`, bytes: Buffer.byteLength(file.content) }));
  print(io, { imageName: plan.imageName, fingerprint: plan.rendered.fingerprint, dockerfile: plan.rendered.dockerfile, files });
}

export async function nameCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const plan = await managerFor(line, io).plan({ baseImage: line.baseImage });
  print(io, line.json ? { imageName: plan.imageName, baseImage: plan.baseReference, fingerprint: plan.rendered.fingerprint } : plan.imageName);
}

export function configCommand(line: CommandLine, io: CommandIo): void {
  const resolved = managerFor(line, io).resolveConfig();
  if (line.json) return void print(io, resolved);
  io.stdout.write(`config file: ${resolved.configFile ?? '(none)'}\n`);
  for (const key of CONFIG_KEYS) {
    const value = resolved.values[key.option];
    const shown = value === undefined ? '(unset)' : JSON.stringify(value);
    io.stdout.write(`${key.option} = ${shown}  # ${describeSource(resolved.sources[key.option])}\n`);
  }
}

export async function listCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const images = await managerFor(line, io).list();
  if (line.json) return void print(io, images);
  for (const image of images) io.stdout.write(`${describeImage(image)}\n`);
}

export async function pruneCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const result = await managerFor(line, io).prune({
    keep: line.keep,
    olderThan: line.olderThanHours === undefined ? undefined : line.olderThanHours * 3_600_000,
    dryRun: line.dryRun,
  });
  if (line.json) return void print(io, result);
  const verb = line.dryRun ? 'would remove' : 'removed';
  for (const image of result.removed) io.stdout.write(`${verb} ${describeImage(image)}\n`);
  for (const failure of result.failed) io.stderr.write(`could not remove ${describeImage(failure.image)}: ${failure.message}\n`);
  if (result.failed.length > 0) throw new Error(`${result.failed.length} image(s) could not be removed; see the lines above.`);
}

function describeImage(image: ImageSummary): string {
  const created = new Date(image.created * 1000).toISOString();
  const size = `${(image.size / 1024 / 1024).toFixed(1)} MiB`;
  return `${image.repoTags.join(', ') || '<untagged>'}  ${image.id.slice(0, 19)}  ${created}  ${size}`;
}
