import type { DockerClient } from '../src/engine/types.js';

/** A client that counts every method call made through the `DockerClient` interface. */
export interface CountingClient {
  client: DockerClient;
  /** Calls per method name since the last reset. */
  calls: Map<string, number>;
  total(): number;
  reset(): void;
}

/** Wraps `inner` in a Proxy that counts each method call before passing it on. */
export function countingClient(inner: DockerClient): CountingClient {
  const calls = new Map<string, number>();
  const client = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    client,
    calls,
    total: () => [...calls.values()].reduce((sum, count) => sum + count, 0),
    reset: () => calls.clear(),
  };
}
