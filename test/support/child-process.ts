import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SandboxConfigInput } from '../../src/config/types.js';
import type { EnsureResult } from '../../src/manager/manager.js';
import type { ProgressEvent } from '../../src/manager/progress.js';
import { testDockerHost } from './engine.js';

const root = resolve(import.meta.dirname, '../..');

/** What an ensure child printed. */
export type ChildOutcome = { ok: true; result: EnsureResult } | { ok: false; code?: string; message?: string };

/** A running ensure child and its outcome once it exits. */
export interface EnsureChild {
  process: ChildProcess;
  /** Resolves when the child exits: its printed outcome, or `undefined` when it printed none (killed). */
  outcome: Promise<ChildOutcome | undefined>;
}

/**
 * Starts test/support/ensure-child.ts in a new Node process (through tsx, on the sources) for
 * the test engine, with progress events appended to `eventFile`.
 */
export function runEnsureChild(config: SandboxConfigInput, eventFile: string): EnsureChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/register-sh-text.mjs', 'test/support/ensure-child.ts'],
    {
      cwd: root,
      // DEBUG makes the child's decisions (cache hits, staleness, lock waits) readable in its stderr file.
      env: { ...process.env, DEBUG: 'sandbox-image*', DEBUG_COLORS: '0', DOCKER_HOST: testDockerHost(), SANDBOX_IMAGE_CHILD_INPUT: JSON.stringify({ config, eventFile }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const outcome = new Promise<ChildOutcome | undefined>((resolveOutcome, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      // The child's stderr carries its `debug` output when DEBUG is set, for a failure's analysis.
      appendFileSync(`${eventFile}.stderr`, stderr);
      const line = stdout.trim().split('\n').at(-1);
      if (!line) return resolveOutcome(undefined);
      try {
        resolveOutcome(JSON.parse(line) as ChildOutcome);
      } catch {
        reject(new Error(`ensure child printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
  return { process: child, outcome };
}

/** Reads the events that ensure children appended to `eventFile`, each with the child's pid. */
export function readChildEvents(eventFile: string): Array<ProgressEvent & { pid: number }> {
  if (!existsSync(eventFile)) return [];
  return readFileSync(eventFile, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ProgressEvent & { pid: number });
}
