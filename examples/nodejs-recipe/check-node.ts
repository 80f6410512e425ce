/**
 * Ensures the Node.js sandbox image described by config.toml beside this file, then runs
 * Node.js in it as the sandbox user and prints its version, user and environment.
 *
 *   npx tsx examples/nodejs-recipe/check-node.ts
 *
 * The CLI does the same build: `npx sandbox-image ensure --config examples/nodejs-recipe/config.toml`.
 */
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { ensureSandboxImage, resolveEngineAddress } from 'sandbox-image';

const configFile = fileURLToPath(new URL('config.toml', import.meta.url));
const docker = new Dockerode(resolveEngineAddress().options);

const { imageName, built } = await ensureSandboxImage({
  configFile,
  docker,
  onProgress: (event) => {
    if (event.type === 'build-output') console.error(`  ${event.line}`);
  },
});
console.log(`image: ${imageName} (${built ? 'built' : 'reused'})`);

const script = 'const os = require("os"); console.log(`node ${process.version} as ${os.userInfo().username} (uid ${os.userInfo().uid}), NODE_ENV=${process.env.NODE_ENV}`)';
const stdout = new PassThrough();
let output = '';
stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
const [result, container] = (await docker.run(imageName, ['node', '-e', script], [stdout, process.stderr], {
  Tty: false,
  HostConfig: { NetworkMode: 'none' },
})) as [{ StatusCode: number }, Dockerode.Container];
await container.remove({ force: true });

process.stdout.write(output);
if (result.StatusCode !== 0) {
  console.error(`node exited with code ${result.StatusCode}`);
  process.exitCode = 1;
}
