import { pack } from 'tar-stream';
import type { ContextFile } from '../recipe/render.js';

/** A fixed modification time, so the same context always gives the same archive bytes. */
const EPOCH = new Date(0);

/**
 * Packs the Dockerfile and the context files into an in-memory tar archive, the body of
 * the Engine API's build request. File modes come from each entry, since COPY keeps them.
 */
export async function packBuildContext(dockerfile: string, files: readonly ContextFile[]): Promise<Uint8Array> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  const add = (name: string, content: string | Uint8Array, mode: number) =>
    new Promise<void>((resolve, reject) => {
      archive.entry({ name, mode, mtime: EPOCH, uid: 0, gid: 0 }, Buffer.from(content), (error) => (error ? reject(error) : resolve()));
    });

  await add('Dockerfile', dockerfile, 0o644);
  for (const file of files) await add(file.path, file.content, file.mode);
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}
