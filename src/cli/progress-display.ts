import type { ProgressEvent } from '../manager/progress.js';
import { cleanOutputLine, describeMilestone, formatBytes, oneLine } from './progress-lines.js';

/** The stream that receives progress: the process's stderr, or a test double. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  /** Terminal width in columns; 0 or missing means unknown (80 is assumed). */
  columns?: number;
}

/** Renders progress events on stderr. */
export interface ProgressDisplay {
  handle(event: ProgressEvent): void;
  /** Clears the live lines and stops the elapsed-time timer; call it before printing the result. */
  stop(): void;
}

/** Options of {@link liveDisplay}. */
export interface LiveDisplayOptions {
  /**
   * Clock in milliseconds.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Interval of the redraw that keeps the elapsed time moving while no event arrives, in milliseconds.
   * @default 1000
   */
  tickMs?: number;
}

/** Minimum time between two redraws caused by events, in milliseconds. */
const REFRESH_MS = 100;
/** Layers shown with their own line during a pull or push; the rest are counted. */
const MAX_LAYER_LINES = 6;
const BAR_WIDTH = 20;
/** Layer statuses after which the engine sends nothing more for that layer. */
const LAYER_DONE = new Set(['Pull complete', 'Already exists', 'Pushed', 'Layer already exists']);

const ERASE_DOWN = '\u001b[J';
const cursorUp = (lines: number) => (lines > 0 ? `\u001b[${lines}A` : '');

/** Creates the display for pipes and CI logs: one line per milestone and per build output line. */
export function plainDisplay(output: ProgressOutput): ProgressDisplay {
  const finishedLayers = new Set<string>();
  let lastMilestone: string | undefined;
  return {
    handle(event) {
      const line = describeMilestone(event);
      if (line !== undefined) {
        // The manager checks freshness again after taking the build lock, so `stale` can repeat.
        if (line !== lastMilestone) output.write(`${line}\n`);
        lastMilestone = line;
      } else if (event.type === 'build-output') {
        output.write(`  ${cleanOutputLine(event.line)}\n`);
      } else if ((event.type === 'pull-progress' || event.type === 'push-progress') && event.layer && LAYER_DONE.has(event.status)) {
        if (finishedLayers.has(event.layer)) return;
        finishedLayers.add(event.layer);
        output.write(`  ${event.layer}: ${event.status}\n`);
      }
    },
    stop() {},
  };
}

interface LayerState {
  status: string;
  current: number | undefined;
  total: number | undefined;
}

/**
 * Creates the display for a terminal: a live region redrawn in place. It has a status line
 * (elapsed time, current step or operation), the last build output line, and one line per
 * layer being pulled or pushed. Milestones (build steps, pull and build results, the
 * summary) stay on screen as their own lines above the region.
 */
export function liveDisplay(output: ProgressOutput, options: LiveDisplayOptions = {}): ProgressDisplay {
  const now = options.now ?? Date.now;
  const started = now();
  const layers = new Map<string, LayerState>();
  let status = 'resolving';
  let detail = '';
  let lastOutput = '';
  let drawnLines = 0;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let lastMilestone: string | undefined;

  const width = () => Math.max(20, (output.columns || 80) - 1);
  const erase = () => (drawnLines > 0 ? `\r${cursorUp(drawnLines - 1)}${ERASE_DOWN}` : '');

  const draw = (force: boolean) => {
    if (stopped || (!force && now() - lastDraw < REFRESH_MS)) return;
    lastDraw = now();
    const seconds = ((now() - started) / 1000).toFixed(1);
    const lines = [`[${seconds}s] ${status}${detail ? ` · ${detail}` : ''}`];
    if (lastOutput) lines.push(`  ${lastOutput}`);
    lines.push(...layerLines(layers));
    output.write(erase() + lines.map((line) => line.slice(0, width())).join('\n'));
    drawnLines = lines.length;
  };

  const printAbove = (line: string) => {
    output.write(`${erase()}${line}\n`);
    drawnLines = 0;
  };

  const timer = setInterval(() => draw(true), options.tickMs ?? 1000);
  timer.unref();

  const stop = () => {
    if (stopped) return;
    clearInterval(timer);
    output.write(erase());
    drawnLines = 0;
    stopped = true;
  };

  return {
    handle(event) {
      if (stopped) return;
      if (event.type === 'build-output') {
        lastOutput = cleanOutputLine(event.line).trim();
      } else if (event.type === 'pull-progress' || event.type === 'push-progress') {
        detail = updateLayers(layers, event);
      } else {
        const line = describeMilestone(event);
        // Step lines are cut to the width, because a LABEL step can be hundreds of characters long.
        const shown = event.type === 'build-step' ? line?.slice(0, width()) : line;
        if (shown !== undefined && line !== lastMilestone) printAbove(shown);
        lastMilestone = line ?? lastMilestone;
        if (event.type === 'finished') return stop();
        layers.clear();
        detail = '';
        lastOutput = '';
        status = statusAfter(event) ?? status;
        return draw(true);
      }
      draw(false);
    },
    stop,
  };
}

/** Records one pull or push message and returns the status line's detail. */
function updateLayers(layers: Map<string, LayerState>, event: Extract<ProgressEvent, { type: 'pull-progress' | 'push-progress' }>): string {
  if (!event.layer) return event.status;
  const previous = layers.get(event.layer);
  const keepTotal = event.total === undefined && !LAYER_DONE.has(event.status);
  layers.set(event.layer, {
    status: event.status,
    current: event.current ?? (keepTotal ? previous?.current : undefined),
    total: event.total ?? (keepTotal ? previous?.total : undefined),
  });
  const done = [...layers.values()].filter((layer) => LAYER_DONE.has(layer.status)).length;
  const sized = [...layers.values()].filter((layer) => layer.total !== undefined);
  const current = sized.reduce((sum, layer) => sum + (layer.current ?? 0), 0);
  const total = sized.reduce((sum, layer) => sum + (layer.total ?? 0), 0);
  const bytes = total > 0 ? `, ${formatBytes(current)} of ${formatBytes(total)}` : '';
  return `${done}/${layers.size} layers done${bytes}`;
}

/** Formats one line per unfinished layer, such as `  a1b2c3d4e5f6 Downloading [=====>    ] 4.0 MiB/10.0 MiB`. */
function layerLines(layers: Map<string, LayerState>): string[] {
  const active = [...layers].filter(([, layer]) => !LAYER_DONE.has(layer.status));
  const shown = active.slice(0, MAX_LAYER_LINES).map(([id, layer]) => {
    const sized = layer.total !== undefined && layer.total > 0;
    const progress = sized ? ` ${bar(layer.current ?? 0, layer.total!)} ${formatBytes(layer.current ?? 0)}/${formatBytes(layer.total!)}` : '';
    return `  ${id.slice(0, 12)} ${layer.status}${progress}`;
  });
  if (active.length > MAX_LAYER_LINES) shown.push(`  and ${active.length - MAX_LAYER_LINES} more layers`);
  return shown;
}

function bar(current: number, total: number): string {
  const filled = Math.min(BAR_WIDTH, Math.round((current / total) * BAR_WIDTH));
  const head = filled < BAR_WIDTH ? '>' : '';
  return `[${'='.repeat(Math.max(0, filled - head.length))}${head}${' '.repeat(BAR_WIDTH - Math.max(filled, head.length))}]`;
}

/** Returns the status shown after a milestone, until the next one. */
function statusAfter(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'resolved': return 'checking for a fresh image';
    case 'stale': return 'preparing the rebuild';
    case 'waiting-for-lock': return 'waiting for another process to finish its build';
    case 'pull-started': return `pulling ${event.image}`;
    case 'pull-finished': return 'preparing the build';
    case 'build-started': return 'building';
    case 'build-step': return `step ${event.index}/${event.count}: ${oneLine(event.instruction)}`;
    case 'build-finished': return 'tagging';
    case 'push-started': return `pushing ${event.imageName}`;
    case 'push-finished': return 'finishing';
    default: return undefined;
  }
}
