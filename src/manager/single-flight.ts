/** The arguments of a shared task: a signal that fires only when every caller gave up, and the callers' listeners. */
export interface SharedRun<E> {
  signal: AbortSignal;
  emit: (event: E) => void;
}

/** One caller of {@link SingleFlight.run}. */
export interface FlightCaller<E> {
  /** The caller's own cancellation; the shared task stops only when every caller's signal fired. */
  signal?: AbortSignal | undefined;
  /** Receives every event the shared task emits from the moment the caller joins. */
  listener?: ((event: E) => void) | undefined;
}

interface Flight<T, E> {
  promise: Promise<T>;
  controller: AbortController;
  listeners: Set<(event: E) => void>;
  /** Callers still waiting for the result, including those without a signal. */
  active: number;
}

/**
 * Shares one running task per key among concurrent callers in this process.
 *
 * A caller whose signal fires is rejected with `abortError()` at once, unless it is the last
 * one waiting. In that case the shared task is aborted, and the caller is rejected only after
 * the task has settled, so the task's clean-up (stream closed, lock released) is done when the
 * caller sees the error. A new call for the key after that point starts a new task.
 */
export class SingleFlight<T, E = never> {
  private readonly running = new Map<string, Flight<T, E>>();

  /** Runs `task` for `key`, or joins the run already in progress, and reports which in `joined`. */
  run(
    key: string,
    task: (shared: SharedRun<E>) => Promise<T>,
    caller: FlightCaller<E>,
    abortError: (signal: AbortSignal) => Error,
  ): { promise: Promise<T>; joined: boolean } {
    const existing = this.running.get(key);
    const flight = existing ?? this.start(key, task);
    flight.active += 1;
    if (caller.listener) flight.listeners.add(caller.listener);
    return { promise: this.wait(key, flight, caller, abortError), joined: existing !== undefined };
  }

  private start(key: string, task: (shared: SharedRun<E>) => Promise<T>): Flight<T, E> {
    const controller = new AbortController();
    const listeners = new Set<(event: E) => void>();
    const emit = (event: E) => {
      for (const listener of listeners) listener(event);
    };
    const flight: Flight<T, E> = { promise: Promise.resolve() as Promise<T>, controller, listeners, active: 0 };
    flight.promise = Promise.resolve()
      .then(() => task({ signal: controller.signal, emit }))
      .finally(() => {
        if (this.running.get(key) === flight) this.running.delete(key);
      });
    this.running.set(key, flight);
    return flight;
  }

  private wait(key: string, flight: Flight<T, E>, caller: FlightCaller<E>, abortError: (signal: AbortSignal) => Error): Promise<T> {
    const signal = caller.signal;
    const leave = () => {
      flight.active -= 1;
      if (caller.listener) flight.listeners.delete(caller.listener);
    };
    if (!signal) return flight.promise.finally(leave);

    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        leave();
        if (flight.active > 0) return reject(abortError(signal));
        // The last caller gave up: stop the task, and let a new call start afresh.
        if (this.running.get(key) === flight) this.running.delete(key);
        flight.controller.abort(signal.reason);
        flight.promise.then(
          () => reject(abortError(signal)),
          () => reject(abortError(signal)),
        );
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          leave();
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) return;
          leave();
          reject(error);
        },
      );
    });
  }
}
