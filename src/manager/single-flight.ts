/**
 * Shares one running task per key among concurrent callers in this process. The entry is
 * removed when the task settles, so a later call starts a new task.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** Runs `task` for `key`, or joins the run already in progress; `joined` tells which. */
  run(key: string, task: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.running.get(key);
    if (existing) return { promise: existing, joined: true };
    const promise = task().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return { promise, joined: false };
  }
}
