/**
 * A separate process that calls `SandboxImageManager.ensure` once, for the cross-process
 * integration tests. Run through `runEnsureChild` in child-process.ts.
 *
 * Input: the JSON in SANDBOX_IMAGE_CHILD_INPUT (`config`, `eventFile`). The engine comes from
 * DOCKER_HOST. Every progress event is appended to `eventFile` as one JSON line, so the
 * parent can see a build start even when this process is killed. The result, or the error's
 * code and message, is printed on stdout as JSON; the exit code is 0 or 1.
 */
import { appendFileSync } from 'node:fs';
import { SandboxImageManager } from '../../src/index.js';
import type { SandboxConfigInput } from '../../src/config/types.js';

interface ChildInput {
  config: SandboxConfigInput;
  eventFile: string;
}

const input = JSON.parse(process.env.SANDBOX_IMAGE_CHILD_INPUT ?? '{}') as ChildInput;
const manager = new SandboxImageManager({ configFile: false, config: input.config });
try {
  const result = await manager.ensure({
    onProgress: (event) => appendFileSync(input.eventFile, `${JSON.stringify({ pid: process.pid, ...event })}\n`),
  });
  process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  process.stdout.write(`${JSON.stringify({ ok: false, code, message })}\n`);
  process.exitCode = 1;
}
