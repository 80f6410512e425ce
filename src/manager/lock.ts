import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { SandboxImageError } from '../errors.js';
import { abortedError } from '../engine/engine-errors.js';
import { log } from '../log.js';

/** Options of {@link acquireBuildLock}. */
export interface BuildLockOptions {
  /** Directory of the lock files. @default `<os temp dir>/sandbox-image-locks` */
  directory?: string | undefined;
  /** Maximum wait in milliseconds; 0 waits forever. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Called once when the lock is held by another process and the caller starts waiting. */
  onWait?: (() => void) | undefined;
  /**
   * Checked after each poll while another process holds the lock; when it returns true the
   * caller stops waiting and gets no lock. Waiters use it to return as soon as the holder's
   * image exists, instead of taking the lock one after another to find it.
   * @default no check
   */
  stopWaiting?: (() => Promise<boolean>) | undefined;
}

/** A held lock. */
export interface BuildLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * A holder refreshes its lock every `UPDATE_MS`. A lock not refreshed for `STALE_MS` belongs
 * to a dead process (killed, or its machine slept) and is taken over, so a waiter polling
 * every `POLL_MS` takes over a killed holder's lock within `STALE_MS + POLL_MS`.
 */
const STALE_MS = 10_000;
const UPDATE_MS = 2_000;
const POLL_MS = 250;

/**
 * Returns the lock path for one derived image on one engine. proper-lockfile creates the directory
 * `<path>.lock` as the lock itself.
 */
export function buildLockPath(engineAddress: string, imageName: string, directory = join(tmpdir(), 'sandbox-image-locks')): string {
  const key = createHash('sha256').update(`${canonicalAddress(engineAddress)}\u0000${imageName}`).digest('hex').slice(0, 32);
  return join(directory, key);
}

/**
 * Returns the address with a unix socket's symbolic links resolved, so that processes reaching one
 * engine through `/run/docker.sock` and `/var/run/docker.sock` share a lock.
 */
function canonicalAddress(address: string): string {
  if (!address.startsWith('unix://')) return address;
  try {
    return `unix://${realpathSync(address.slice('unix://'.length))}`;
  } catch {
    return address;
  }
}

/**
 * Takes the cross-process build lock of `path`, waiting while another process holds it.
 * The lock is a directory made with `mkdir` (atomic on local file systems) by proper-lockfile,
 * refreshed while held.
 *
 * @returns the held lock, or `undefined` when `stopWaiting` returned true.
 * @throws {SandboxImageError} `LOCK_TIMEOUT` after `timeoutMs`, `ABORTED` when the signal fires.
 */
export async function acquireBuildLock(path: string, options: BuildLockOptions): Promise<BuildLock | undefined> {
  mkdirSync(join(path, '..'), { recursive: true });
  const started = Date.now();
  let waiting = false;
  log.lock('Acquiring lock %s.lock…', path);
  for (;;) {
    if (options.signal?.aborted) {
      log.lock('Gave up waiting for lock %s.lock after %d ms: aborted', path, Date.now() - started);
      throw abortedError('wait for the build lock', options.signal);
    }
    try {
      const release = await lockfile.lock(path, {
        realpath: false,
        stale: STALE_MS,
        update: UPDATE_MS,
        retries: 0,
        onCompromised: (error) => log.lock('lock %s was compromised: %s', path, error.message),
      });
      const acquired = Date.now();
      log.lock('Acquired lock %s.lock after %d ms', path, acquired - started);
      return { path, release: () => releaseLock(path, release, acquired) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    }
    if (!waiting) {
      waiting = true;
      log.lock('waiting for lock %s.lock, held by another process', path);
      options.onWait?.();
    }
    if (options.timeoutMs > 0 && Date.now() - started > options.timeoutMs) {
      log.lock('Gave up waiting for lock %s.lock after %d ms: timed out', path, Date.now() - started);
      throw new SandboxImageError(
        'LOCK_TIMEOUT',
        `Waited ${options.timeoutMs} ms for another process to finish building the same image (lock ${path}.lock). ` +
          'Raise lockTimeoutMs, or remove the lock directory if no sandbox-image process is running.',
        { details: { value: path } },
      );
    }
    await sleep(POLL_MS, undefined, { signal: options.signal }).catch(() => undefined);
    if (!options.signal?.aborted && (await options.stopWaiting?.())) {
      log.lock('Stopped waiting for lock %s.lock after %d ms: the awaited result exists', path, Date.now() - started);
      return undefined;
    }
  }
}

async function releaseLock(path: string, release: () => Promise<void>, acquired: number): Promise<void> {
  try {
    await release();
    log.lock('Released lock %s.lock after holding it %d ms', path, Date.now() - acquired);
  } catch (error) {
    // A lock taken over as stale cannot be released by its old holder; nothing is left to clean.
    log.lock('release of %s failed: %s', path, (error as Error).message);
  }
}
