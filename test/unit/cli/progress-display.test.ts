import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveDisplay, plainDisplay } from '../../../src/cli/progress-display.js';
import type { ProgressEvent } from '../../../src/manager/progress.js';

const IMAGE = 'localhost/sandbox-image:debian-bookworm-slim-0123456789abcdef0123';

function recorder(columns?: number) {
  const writes: string[] = [];
  return { writes, output: { write: (text: string) => writes.push(text), isTTY: true, columns }, text: () => writes.join('') };
}

/** Applies `\r`, cursor-up and erase sequences as a terminal does, and returns the screen lines. */
function screen(text: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  const pattern = /\r|\n|\u001b\[(\d*)A|\u001b\[J|[^\r\n\u001b]+/g;
  for (const match of text.matchAll(pattern)) {
    const token = match[0];
    if (token === '\r') continue;
    if (token === '\n') {
      row += 1;
      if (lines[row] === undefined) lines[row] = '';
    } else if (token.endsWith('A')) {
      row -= Number(match[1] || '1');
    } else if (token === '\u001b[J') {
      lines.length = row + 1;
      lines[row] = '';
    } else {
      lines[row] += token;
    }
  }
  return lines.filter((line, index) => line !== '' || index < lines.length - 1);
}

const pull = (layer: string, status: string, current?: number, total?: number): ProgressEvent => ({
  type: 'pull-progress',
  image: 'docker.io/library/ubuntu:24.04',
  layer,
  status,
  current,
  total,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('plainDisplay', () => {
  it('prints one line per milestone and output line', () => {
    const { output, text } = recorder();
    const display = plainDisplay(output);
    display.handle({ type: 'resolved', imageName: IMAGE, baseImage: 'docker.io/library/debian:bookworm-slim' });
    display.handle({ type: 'build-started', imageName: IMAGE });
    display.handle({ type: 'build-step', index: 1, count: 2, instruction: 'FROM debian' });
    display.handle({ type: 'build-output', line: 'Setting up sudo' });
    display.handle({ type: 'finished', imageName: IMAGE, imageId: 'sha256:abc', built: true, pulled: false, durationMs: 12_345 });
    display.stop();
    expect(text().split('\n')).toEqual([
      `sandbox-image: ${IMAGE} (from docker.io/library/debian:bookworm-slim)`,
      `sandbox-image: building ${IMAGE}`,
      'sandbox-image: step 1/2: FROM debian',
      '  Setting up sudo',
      `sandbox-image: built ${IMAGE} in 12.3 s`,
      '',
    ]);
    expect(text()).not.toContain('\u001b');
  });

  it('prints each finished layer once and no byte counts', () => {
    const { output, text } = recorder();
    const display = plainDisplay(output);
    display.handle(pull('aaa', 'Downloading', 10, 100));
    display.handle(pull('aaa', 'Pull complete'));
    display.handle(pull('aaa', 'Pull complete'));
    display.handle(pull('bbb', 'Already exists'));
    expect(text()).toBe('  aaa: Pull complete\n  bbb: Already exists\n');
  });

  it('strips colors and carriage returns from output', () => {
    const { output, text } = recorder();
    const display = plainDisplay(output);
    display.handle({ type: 'build-output', line: '\u001b[91mdebconf: delaying package configuration\u001b[0m' });
    display.handle({ type: 'build-output', line: 'Progress: 10%\rProgress: 100%' });
    display.handle({ type: 'build-output', line: 'bell\u0007 and\ttab' });
    expect(text()).toBe('  debconf: delaying package configuration\n  Progress: 100%\n  bell and\ttab\n');
  });

  it('drops a repeated milestone line', () => {
    const { output, text } = recorder();
    const display = plainDisplay(output);
    const stale: ProgressEvent = { type: 'stale', imageName: IMAGE, reason: 'rebuild is "always"' };
    display.handle(stale);
    display.handle(stale);
    expect(text()).toBe('sandbox-image: rebuilding because rebuild is "always"\n');
  });
});

describe('liveDisplay', () => {
  it('redraws the status line in place with elapsed time', () => {
    let clock = 1_000;
    const { output, text } = recorder(80);
    const display = liveDisplay(output, { now: () => clock });
    display.handle({ type: 'build-started', imageName: IMAGE });
    clock += 2_500;
    display.handle({ type: 'build-step', index: 4, count: 10, instruction: 'RUN provision' });
    clock += 200;
    display.handle({ type: 'build-output', line: 'Unpacking sudo ...' });
    expect(text()).toContain('\r\u001b[J');
    expect(screen(text())).toEqual([
      `sandbox-image: building ${IMAGE}`,
      'sandbox-image: step 4/10: RUN provision',
      '[2.7s] step 4/10: RUN provision',
      '  Unpacking sudo ...',
    ]);
    display.stop();
  });

  it('ends with the summary line and no live line', () => {
    let clock = 0;
    const { output, text } = recorder(120);
    const display = liveDisplay(output, { now: () => clock });
    display.handle({ type: 'build-started', imageName: IMAGE });
    clock = 61_000;
    display.handle({ type: 'finished', imageName: IMAGE, imageId: 'sha256:abc', built: true, pulled: false, durationMs: 61_000 });
    display.stop();
    expect(screen(text())).toEqual([`sandbox-image: building ${IMAGE}`, `sandbox-image: built ${IMAGE} in 61.0 s`]);
  });

  it('shows one line per pulling layer', () => {
    let clock = 0;
    const { output, text } = recorder(100);
    const display = liveDisplay(output, { now: () => clock });
    display.handle({ type: 'pull-started', image: 'docker.io/library/ubuntu:24.04' });
    clock += 500;
    display.handle(pull('aaaaaaaaaaaa', 'Downloading', 5 * 1024 * 1024, 10 * 1024 * 1024));
    clock += 500;
    display.handle(pull('bbbbbbbbbbbb', 'Waiting'));
    clock += 500;
    display.handle(pull('cccccccccccc', 'Pull complete'));
    const shown = screen(text());
    expect(shown[0]).toBe('sandbox-image: pulling docker.io/library/ubuntu:24.04');
    expect(shown[1]).toBe('[1.5s] pulling docker.io/library/ubuntu:24.04 · 1/3 layers done, 5.0 MiB of 10.0 MiB');
    expect(shown[2]).toBe('  aaaaaaaaaaaa Downloading [=========>          ] 5.0 MiB/10.0 MiB');
    expect(shown[3]).toBe('  bbbbbbbbbbbb Waiting');
    expect(shown).toHaveLength(4);
    display.stop();
    expect(screen(text())).toEqual(['sandbox-image: pulling docker.io/library/ubuntu:24.04']);
  });

  it('counts layers beyond six', () => {
    let clock = 0;
    const { output, text } = recorder(100);
    const display = liveDisplay(output, { now: () => clock });
    for (let index = 0; index < 9; index += 1) {
      clock += 200;
      display.handle(pull(`layer${index}`, 'Waiting'));
    }
    const shown = screen(text());
    expect(shown.filter((line) => line.includes('Waiting'))).toHaveLength(6);
    expect(shown.at(-1)).toBe('  and 3 more layers');
    display.stop();
  });

  it('collapses continued step lines', () => {
    const plain = recorder();
    const display = plainDisplay(plain.output);
    display.handle({ type: 'build-step', index: 7, count: 11, instruction: 'LABEL a="1" \\\n      b="2"' });
    expect(plain.text()).toBe('sandbox-image: step 7/11: LABEL a="1" \\ b="2"\n');
  });

  it('truncates lines to the terminal width', () => {
    let clock = 0;
    const { output, text } = recorder(40);
    const display = liveDisplay(output, { now: () => clock });
    clock += 200;
    display.handle({ type: 'build-output', line: 'x'.repeat(200) });
    display.handle({ type: 'build-step', index: 1, count: 1, instruction: `LABEL ${'y'.repeat(200)}` });
    const shown = screen(text());
    expect(shown.at(-2)).toHaveLength(39);
    expect(shown.at(-1)).toHaveLength(39);
    display.stop();
  });

  it('assumes 80 columns when the width is 0', () => {
    let clock = 0;
    const { output, text } = recorder(0);
    const display = liveDisplay(output, { now: () => clock });
    clock += 200;
    display.handle({ type: 'build-output', line: 'y'.repeat(200) });
    expect(screen(text()).at(-1)).toHaveLength(79);
    display.stop();
  });

  it('keeps the elapsed time moving without events', () => {
    vi.useFakeTimers();
    const { output, text } = recorder(80);
    const display = liveDisplay(output, { now: () => Date.now(), tickMs: 1_000 });
    display.handle({ type: 'build-started', imageName: IMAGE });
    vi.advanceTimersByTime(3_000);
    expect(screen(text()).at(-1)).toBe('[3.0s] building');
    display.stop();
    const after = text();
    vi.advanceTimersByTime(3_000);
    expect(text()).toBe(after);
  });
});
