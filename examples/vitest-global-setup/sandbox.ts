import { PassThrough } from 'node:stream';
import Dockerode from 'dockerode';
import { resolveEngineAddress } from 'sandbox-image';

const docker = new Dockerode(resolveEngineAddress().options);

/**
 * Runs a command in a new container from `image` with no network and returns its stdout;
 * the container is removed. Throws with the command's stderr on a non-zero exit.
 */
export async function runInSandbox(image: string, command: string[]): Promise<string> {
  const stdout = collect();
  const stderr = collect();
  const [result, container] = (await docker.run(image, command, [stdout.stream, stderr.stream], {
    Tty: false,
    HostConfig: { NetworkMode: 'none' },
  })) as [{ StatusCode: number }, Dockerode.Container];
  await container.remove({ force: true });
  if (result.StatusCode !== 0) throw new Error(`${command.join(' ')} exited with code ${result.StatusCode}: ${stderr.text()}`);
  return stdout.text();
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}
