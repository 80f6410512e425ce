import { describeSource } from '../config/resolve.js';
import { CONFIG_KEYS } from '../config/keys.js';
import type { SandboxConfigInput } from '../config/types.js';
import type { ImageSummary } from '../engine/types.js';
import { SandboxImageManager } from '../manager/manager.js';
import { inRepository } from '../manager/prune.js';
import type { CommandLine } from './args.js';
import { offlineClient } from './offline-client.js';
import { liveDisplay, plainDisplay, type ProgressDisplay, type ProgressOutput } from './progress-display.js';
import { formatBytes } from './progress-lines.js';

/** The streams and environment of one run: stdout for results, stderr for progress and errors. */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: ProgressOutput;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Cancels a running `ensure`, such as on Ctrl-C; nothing is tagged after cancellation. */
  signal?: AbortSignal;
}

/** A failure that the command already described on stderr; the program exits with code 1. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}

function managerFor(line: CommandLine, io: CommandIo, options: { engine: boolean }): SandboxImageManager {
  const config: SandboxConfigInput = {};
  if (line.push) config.push = true;
  if (line.rebuild !== undefined) config.rebuild = line.rebuild;
  if (line.pull !== undefined) config.pull = line.pull;
  if (line.timeoutSeconds !== undefined) config.timeoutMs = Math.round(line.timeoutSeconds * 1000);
  const docker = options.engine ? undefined : offlineClient(line.command ?? 'sandbox-image');
  return new SandboxImageManager({ config, configFile: line.configFile, env: io.env, cwd: io.cwd, docker });
}

function printJson(io: CommandIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Picks the progress display: none with --quiet, live on a terminal, plain lines otherwise. */
function progressDisplayFor(line: CommandLine, io: CommandIo): ProgressDisplay | undefined {
  if (line.quiet) return undefined;
  if (io.stderr.isTTY) return liveDisplay(io.stderr);
  return plainDisplay(io.stderr);
}

export async function ensureCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const manager = managerFor(line, io, { engine: true });
  const display = progressDisplayFor(line, io);
  let result;
  try {
    result = await manager.ensure({ baseImage: line.baseImage, signal: io.signal, onProgress: (event) => display?.handle(event) });
  } finally {
    display?.stop();
  }
  if (line.json) printJson(io, result);
  else io.stdout.write(`${result.imageName}\n`);
}

export async function renderCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const plan = await managerFor(line, io, { engine: false }).plan({ baseImage: line.baseImage });
  if (!line.json) return void io.stdout.write(plan.rendered.dockerfile);
  const files = plan.rendered.files.map((file) => ({ path: file.path, mode: `0${file.mode.toString(8)}`, bytes: Buffer.byteLength(file.content) }));
  printJson(io, { imageName: plan.imageName, fingerprint: plan.rendered.fingerprint, dockerfile: plan.rendered.dockerfile, files });
}

export async function nameCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const plan = await managerFor(line, io, { engine: false }).plan({ baseImage: line.baseImage });
  if (line.json) printJson(io, { imageName: plan.imageName, baseImage: plan.baseReference, fingerprint: plan.rendered.fingerprint });
  else io.stdout.write(`${plan.imageName}\n`);
}

export function configCommand(line: CommandLine, io: CommandIo): void {
  const resolved = managerFor(line, io, { engine: false }).resolveConfig();
  if (line.json) return printJson(io, resolved);
  io.stdout.write(`# config file: ${resolved.configFile ?? '(none)'}\n`);
  for (const key of CONFIG_KEYS) {
    const value = resolved.values[key.option];
    const shown = value === undefined ? '(unset)' : JSON.stringify(value);
    io.stdout.write(`${key.option} = ${shown}  # ${describeSource(resolved.sources[key.option])}\n`);
  }
}

export async function listCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const all = await managerFor(line, io, { engine: true }).list();
  const repository = line.repository;
  const images = repository === undefined ? all : all.filter((image) => inRepository(image, repository));
  if (line.json) return printJson(io, images);
  for (const image of images) io.stdout.write(`${describeImage(image)}\n`);
}

export async function pruneCommand(line: CommandLine, io: CommandIo): Promise<void> {
  const result = await managerFor(line, io, { engine: true }).prune({
    keep: line.keep,
    olderThan: line.olderThanHours === undefined ? undefined : line.olderThanHours * 3_600_000,
    dryRun: line.dryRun,
    repository: line.repository,
  });
  if (line.json) printJson(io, result);
  const verb = line.dryRun ? 'would remove' : 'removed';
  if (!line.json) for (const image of result.removed) io.stdout.write(`${verb} ${describeImage(image)}\n`);
  for (const failure of result.failed) io.stderr.write(`sandbox-image: failed to remove ${describeImage(failure.image)}: ${failure.message}\n`);
  if (result.failed.length > 0) {
    throw new CommandFailure(`${result.failed.length} image(s) could not be removed; the reasons are on the lines above.`);
  }
}

/** One image as `tags  short ID  creation time  size`. */
function describeImage(image: ImageSummary): string {
  const created = new Date(image.created * 1000).toISOString();
  return `${image.repoTags.join(', ') || '<untagged>'}  ${image.id.slice(0, 19)}  ${created}  ${formatBytes(image.size)}`;
}
