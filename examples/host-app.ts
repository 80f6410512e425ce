/**
 * A host application in one file: it ensures a sandbox image, starts a container from it
 * with dockerode, runs a command in it as the sandbox user, prints the output and removes
 * the container.
 *
 *   npx tsx examples/host-app.ts [BASE_IMAGE]
 *
 * Progress goes to stderr, the command's output to stdout. Configuration comes from
 * ./config.toml and SANDBOX_* variables, as for the CLI.
 */
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { LABELS, ensureSandboxImage, resolveEngineAddress } from 'sandbox-image';

const baseImage = process.argv[2] ?? 'debian:bookworm-slim';
// The same engine that sandbox-image uses: DOCKER_HOST, the Docker context, or the usual sockets.
const docker = new Dockerode(resolveEngineAddress().options);

const { imageName, built, durationMs } = await ensureSandboxImage({
  baseImage,
  docker,
  onProgress: (event) => {
    if (event.type === 'build-step') console.error(`step ${event.index}/${event.count}: ${event.instruction}`);
  },
});
console.log(`image: ${imageName} (${built ? 'built' : 'reused'} in ${(durationMs / 1000).toFixed(1)} s)`);

// The derived image records its user in a label, so the host needs no copy of the config.
const labels = (await docker.getImage(imageName).inspect()).Config.Labels ?? {};
const user = labels[LABELS.user] ?? 'root';

const container = await docker.createContainer({
  name: `sandbox-image-example-${randomBytes(4).toString('hex')}`,
  Image: imageName,
  Cmd: ['sleep', 'infinity'],
  // An agent runtime keeps one container per session and runs many commands in it. The
  // command below needs no network; leave NetworkMode out to get the engine's default network.
  HostConfig: { NetworkMode: 'none', Init: true },
});
console.log(`container: ${container.id.slice(0, 12)}`);

try {
  await container.start();
  const command = 'id && echo "home=$HOME pwd=$(pwd)"';
  const output = await runAs(container, user, ['sh', '-c', command]);
  console.log(`$ ${command}  (as ${user})`);
  process.stdout.write(output);
} finally {
  await container.remove({ force: true });
  console.log('container removed');
}

/** Runs a command in a running container as `user` and returns its stdout and stderr; throws on a non-zero exit. */
async function runAs(target: Dockerode.Container, user: string, command: string[]): Promise<string> {
  const exec = await target.exec({ Cmd: command, User: user, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  // Without a TTY the engine multiplexes stdout and stderr on one stream.
  docker.modem.demuxStream(stream, output, output);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new Error(`${command.join(' ')} exited with code ${String(ExitCode)}:\n${text}`);
  return text;
}
