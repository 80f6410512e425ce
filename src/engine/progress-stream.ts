import { SandboxImageError } from '../errors.js';
import { abortedError } from './engine-errors.js';
import { JsonMessageSplitter, asProgressMessage, type ProgressMessage } from './json-stream.js';
import { cleanOutputLine } from './output-line.js';
import type { EngineEvent } from './types.js';

/** How many output lines a `BUILD_FAILED`, `PULL_FAILED` or `PUSH_FAILED` error keeps. */
export const OUTPUT_TAIL_LINES = 30;

/** Builder step lines: `Step 3/7 : RUN ...` (Docker's classic builder) or `STEP 3/7: RUN ...` (Podman). */
const STEP_LINE = /^(?:Step|STEP) (\d+)\/(\d+) ?: ?(.*)$/;
/** The classic builder's last line when no `aux.ID` message was sent. */
const BUILT_LINE = /^Successfully built ([0-9a-f]{12,64})$/;

/**
 * Reads a progress stream to its end and hands every message to `onMessage`.
 * Rejects when the stream fails, when the signal fires, or when `onMessage` throws.
 */
export function readProgressStream(
  stream: NodeJS.ReadableStream,
  onMessage: (message: ProgressMessage) => void,
  context: { operation: string; signal?: AbortSignal | undefined },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const splitter = new JsonMessageSplitter();
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      context.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: (error?: Error) => void }).destroy?.();
      finish(abortedError(context.operation, context.signal));
    };
    if (context.signal?.aborted) return onAbort();
    context.signal?.addEventListener('abort', onAbort, { once: true });

    stream.on('data', (chunk: Buffer | string) => {
      try {
        for (const message of splitter.push(chunk.toString())) onMessage(asProgressMessage(message));
      } catch (error) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        finish(error);
      }
    });
    stream.on('error', (error: Error) => finish(context.signal?.aborted ? abortedError(context.operation, context.signal, error) : error));
    stream.on('end', () => finish());
    stream.on('close', () => finish());
  });
}

/** Collects the outcome of a build stream: events, the image ID, and the failure if any. */
export class BuildStreamState {
  imageId: string | undefined;
  currentStep: string | undefined;
  private readonly tail: string[] = [];
  private partialLine = '';

  constructor(private readonly onEvent: ((event: EngineEvent) => void) | undefined) {}

  /** Handles one message; throws `BUILD_FAILED` for an error message. */
  handle(message: ProgressMessage): void {
    if (message.aux?.ID) this.imageId = message.aux.ID;
    if (typeof message.stream === 'string') this.handleText(message.stream);
    if (message.error !== undefined || message.errorDetail !== undefined) this.fail(message);
  }

  /** Throws `BUILD_FAILED` when the stream ended without an image ID. */
  finish(): string {
    this.flushLine();
    // `aux.ID` is `sha256:<hex>`; the classic builder's text line carries a short ID, which inspect accepts too.
    if (this.imageId) return /^[0-9a-f]{64}$/.test(this.imageId) ? `sha256:${this.imageId}` : this.imageId;
    throw new SandboxImageError(
      'BUILD_FAILED',
      'The build stream ended without an image ID, so the build did not finish. ' +
        'Check that the engine is healthy and has free disk space, then retry.' + this.tailText(),
      { details: { step: this.currentStep, outputTail: [...this.tail] } },
    );
  }

  private handleText(text: string): void {
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.handleLine(cleanOutputLine(line.replace(/\r$/, '')));
  }

  private flushLine(): void {
    if (this.partialLine.length > 0) this.handleLine(cleanOutputLine(this.partialLine));
    this.partialLine = '';
  }

  private handleLine(line: string): void {
    const step = STEP_LINE.exec(line);
    if (step) {
      this.currentStep = step[3]!.trim();
      this.onEvent?.({ type: 'build-step', index: Number(step[1]), count: Number(step[2]), instruction: this.currentStep });
      return;
    }
    const built = BUILT_LINE.exec(line.trim());
    if (built && !this.imageId) this.imageId = built[1];
    if (line.trim().length === 0) return;
    this.tail.push(line);
    if (this.tail.length > OUTPUT_TAIL_LINES) this.tail.shift();
    this.onEvent?.({ type: 'build-output', line });
  }

  private fail(message: ProgressMessage): never {
    this.flushLine();
    const reason = message.errorDetail?.message ?? message.error ?? 'unknown error';
    const exitCode = message.errorDetail?.code ?? podmanExitCode(reason);
    const step = this.currentStep;
    throw new SandboxImageError(
      'BUILD_FAILED',
      `Build failed${step ? ` at step \`${step}\`` : ''}: ${reason.trim()}` + this.tailText(),
      { details: { step, exitCode, outputTail: [...this.tail] } },
    );
  }

  private tailText(): string {
    if (this.tail.length === 0) return '';
    return `\nLast output lines:\n${this.tail.map((line) => `  ${line}`).join('\n')}`;
  }
}

/**
 * Podman's compat API sends no `errorDetail.code`; its message ends with the runtime's
 * `exit status <n>` instead. Used only to fill `details.exitCode`, never to classify the error.
 */
const PODMAN_EXIT_STATUS = /: exit status (\d+)\s*$/;

function podmanExitCode(reason: string): number | undefined {
  const match = PODMAN_EXIT_STATUS.exec(reason);
  return match ? Number(match[1]) : undefined;
}

/** Turns pull and push messages into events, and rejects on an error message. */
export function handleTransferMessage(
  kind: 'pull-progress' | 'push-progress',
  image: string,
  message: ProgressMessage,
  tail: string[],
  onEvent: ((event: EngineEvent) => void) | undefined,
): string | undefined {
  if (message.error !== undefined || message.errorDetail !== undefined) {
    return message.errorDetail?.message ?? message.error ?? 'unknown error';
  }
  if (typeof message.status === 'string') {
    tail.push(message.id ? `${message.id}: ${message.status}` : message.status);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    onEvent?.({
      type: kind,
      image,
      layer: message.id,
      status: message.status,
      current: message.progressDetail?.current,
      total: message.progressDetail?.total,
    });
  }
  return undefined;
}
