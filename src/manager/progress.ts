import type { EngineEvent } from '../engine/types.js';

/** Progress of one `ensure`, for the `onProgress` callback. */
export type ProgressEvent =
  | { type: 'resolved'; imageName: string; baseImage: string }
  | { type: 'cache-hit'; imageName: string; imageId: string }
  | { type: 'stale'; imageName: string; reason: string }
  | { type: 'waiting-for-lock'; imageName: string; lockPath: string }
  | { type: 'pull-started'; image: string }
  | { type: 'pull-finished'; image: string; durationMs: number }
  | { type: 'build-started'; imageName: string }
  | { type: 'build-finished'; imageName: string; imageId: string; durationMs: number }
  | { type: 'push-started'; imageName: string }
  | { type: 'push-finished'; imageName: string; durationMs: number }
  | { type: 'finished'; imageName: string; imageId: string; built: boolean; pulled: boolean; durationMs: number }
  | EngineEvent;

export type ProgressListener = (event: ProgressEvent) => void;

/** Calls the listener and keeps its errors from breaking the build; the listener's bugs are its own. */
export function emitter(listener: ProgressListener | undefined, onListenerError: (error: unknown) => void): ProgressListener {
  return (event) => {
    if (!listener) return;
    try {
      listener(event);
    } catch (error) {
      onListenerError(error);
    }
  };
}
