import type { ProgressEvent } from '../manager/progress.js';

/** Where progress goes: the process's stderr, or a test double. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Renders progress events on stderr. */
export interface ProgressDisplay {
  handle(event: ProgressEvent): void;
  /** Clears a live line before the final output. */
  stop(): void;
}

const REFRESH_MS = 100;

/** One line per event, for pipes and CI logs. */
export function plainDisplay(output: ProgressOutput): ProgressDisplay {
  return {
    handle(event) {
      const line = describe(event);
      if (line !== undefined) output.write(`${line}\n`);
      else if (event.type === 'build-output') output.write(`  ${event.line}\n`);
    },
    stop() {},
  };
}

/** A live status line (step, pull progress per layer, elapsed time) redrawn in place on a terminal. */
export function liveDisplay(output: ProgressOutput, now: () => number = Date.now): ProgressDisplay {
  const started = now();
  const layers = new Map<string, { current: number; total: number }>();
  let status = 'resolving';
  let detail = '';
  let lastDraw = 0;

  const draw = (force = false) => {
    if (!force && now() - lastDraw < REFRESH_MS) return;
    lastDraw = now();
    const seconds = ((now() - started) / 1000).toFixed(1);
    const width = Math.max(20, (output.columns ?? 80) - 1);
    const text = `[${seconds}s] ${status}${detail ? ` · ${detail}` : ''}`;
    output.write(`\r\u001b[K${text.slice(0, width)}`);
  };

  return {
    handle(event) {
      const line = describe(event);
      if (event.type === 'build-step') {
        status = `step ${event.index}/${event.count}: ${event.instruction}`;
        detail = '';
      } else if (event.type === 'build-output') {
        detail = event.line.trim();
      } else if (event.type === 'pull-progress' || event.type === 'push-progress') {
        if (event.layer && event.total) layers.set(event.layer, { current: event.current ?? 0, total: event.total });
        const total = [...layers.values()].reduce((sum, layer) => sum + layer.total, 0);
        const current = [...layers.values()].reduce((sum, layer) => sum + layer.current, 0);
        detail = total > 0 ? `${layers.size} layers, ${formatBytes(current)} of ${formatBytes(total)}` : event.status;
      } else if (line !== undefined) {
        // Milestones stay on screen as their own lines; the live line is redrawn below them.
        output.write(`\r\u001b[K${line}\n`);
        layers.clear();
        detail = '';
        status = statusAfter(event) ?? status;
        draw(true);
        return;
      }
      draw();
    },
    stop() {
      output.write('\r\u001b[K');
    },
  };
}

function statusAfter(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'pull-started': return `pulling ${event.image}`;
    case 'build-started': return 'building';
    case 'push-started': return `pushing ${event.imageName}`;
    case 'waiting-for-lock': return 'waiting for another build';
    default: return undefined;
  }
}

/** The plain line for an event, or `undefined` for events shown only live or not at all. */
function describe(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'resolved': return `sandbox-image: ${event.imageName} (from ${event.baseImage})`;
    case 'cache-hit': return `sandbox-image: reusing ${event.imageName}`;
    case 'stale': return `sandbox-image: rebuilding because ${event.reason}`;
    case 'waiting-for-lock': return `sandbox-image: waiting for another process building ${event.imageName}`;
    case 'pull-started': return `sandbox-image: pulling ${event.image}`;
    case 'pull-finished': return `sandbox-image: pulled ${event.image} in ${formatSeconds(event.durationMs)}`;
    case 'build-started': return `sandbox-image: building ${event.imageName}`;
    case 'build-step': return `sandbox-image: step ${event.index}/${event.count}: ${event.instruction}`;
    case 'build-finished': return `sandbox-image: built ${event.imageId} in ${formatSeconds(event.durationMs)}`;
    case 'push-started': return `sandbox-image: pushing ${event.imageName}`;
    case 'push-finished': return `sandbox-image: pushed ${event.imageName} in ${formatSeconds(event.durationMs)}`;
    case 'finished':
      return `sandbox-image: ${event.built ? 'built' : event.pulled ? 'pulled' : 'reused'} ${event.imageName} in ${formatSeconds(event.durationMs)}`;
    default: return undefined;
  }
}

function formatSeconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
