// One process of the concurrency benchmark. Argument: JSON `{ baseImage, config, cwd, callers }`.
// Prints `ready` once the library is loaded, waits for `go` on stdin, then starts `callers`
// concurrent `ensureSandboxImage` calls and prints one JSON line per finished call.
import { createInterface } from 'node:readline';
import { ensureSandboxImage } from '../src/ensure.js';
import type { SandboxConfigInput } from '../src/config/types.js';

/** The request a worker receives as its argument. */
interface WorkerRequest {
  baseImage: string;
  config: SandboxConfigInput;
  cwd: string;
  callers: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as WorkerRequest;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
lines.close();

await Promise.all(
  Array.from({ length: request.callers }, async () => {
    try {
      const result = await ensureSandboxImage({ baseImage: request.baseImage, config: request.config, cwd: request.cwd });
      process.stdout.write(`${JSON.stringify({ built: result.built, imageName: result.imageName, durationMs: result.durationMs })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
  }),
);
