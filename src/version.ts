import packageJson from '../package.json';

/** Version of this package, recorded in the `sandbox-image.version` label. */
export const VERSION: string = packageJson.version;
