import type { TestProject } from 'vitest/node';
import { ensureSandboxImage } from 'sandbox-image';

/**
 * Ensures the sandbox image once for the whole test run and hands its name to every test
 * file through `provide`. Workers never build: they read the name with `inject`.
 */
export default async function setup(project: TestProject): Promise<void> {
  const result = await ensureSandboxImage({ baseImage: 'debian:bookworm-slim' });
  console.log(`global setup: ${result.built ? 'built' : 'reused'} ${result.imageName}`);
  project.provide('sandboxImage', result.imageName);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The name of the sandbox image ensured by the global setup. */
    sandboxImage: string;
  }
}
