import type { ProgressEvent } from '../manager/progress.js';

/**
 * Returns the plain line for a milestone event, or `undefined` for events that the live display
 * shows in place (pull and push progress, build output) or that no display shows.
 */
export function describeMilestone(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'resolved': return `sandbox-image: ${event.imageName} (from ${event.baseImage})`;
    case 'cache-hit': return `sandbox-image: reusing ${event.imageName}`;
    case 'stale': return `sandbox-image: rebuilding because ${event.reason}`;
    case 'waiting-for-lock': return `sandbox-image: waiting for another process building ${event.imageName}`;
    case 'pull-started': return `sandbox-image: pulling ${event.image}`;
    case 'pull-finished': return `sandbox-image: pulled ${event.image} in ${formatSeconds(event.durationMs)}`;
    case 'build-started': return `sandbox-image: building ${event.imageName}`;
    case 'build-step': return `sandbox-image: step ${event.index}/${event.count}: ${oneLine(event.instruction)}`;
    case 'build-finished': return `sandbox-image: built ${event.imageId} in ${formatSeconds(event.durationMs)}`;
    case 'push-started': return `sandbox-image: pushing ${event.imageName}`;
    case 'push-finished': return `sandbox-image: pushed ${event.imageName} in ${formatSeconds(event.durationMs)}`;
    case 'finished': return summaryLine(event);
    default: return undefined;
  }
}

/** Formats the last line of an `ensure`: what happened to which image, and how long it took. */
export function summaryLine(event: Extract<ProgressEvent, { type: 'finished' }>): string {
  let outcome = 'reused';
  if (event.built) outcome = 'built';
  else if (event.pulled) outcome = 'pulled';
  return `sandbox-image: ${outcome} ${event.imageName} in ${formatSeconds(event.durationMs)}`;
}

/** Collapses the runs of spaces that the builder keeps from continued Dockerfile lines. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Milliseconds as seconds with one decimal, such as `12.3 s`. */
export function formatSeconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

/** Formats a byte count in KiB below 1 MiB, else in MiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export { cleanOutputLine } from '../engine/output-line.js';
