import createDebug from 'debug';

/**
 * The `debug` namespaces of the library, one per stream. Enable them with
 * `DEBUG=sandbox-image*` (all) or a single one such as `DEBUG=sandbox-image:build`.
 */
export const log = {
  /** Manager decisions: cache hits, staleness, engine resolution. */
  main: createDebug('sandbox-image'),
  /** Config discovery, aliases and the source of each value. */
  config: createDebug('sandbox-image:config'),
  /** Base image pulls and registry look-ups. */
  pull: createDebug('sandbox-image:pull'),
  /** Image builds and their output. */
  build: createDebug('sandbox-image:build'),
  /** Pushes of derived images. */
  push: createDebug('sandbox-image:push'),
  /** Single-flight and cross-process lock files. */
  lock: createDebug('sandbox-image:lock'),
};
