import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { extract, pack } from 'tar-stream';
import { LABELS } from '../src/manager/labels.js';

/** One entry of the `manifest.json` of a `docker save` archive. */
interface ManifestEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/** The image configuration and layer paths of one image, read from `docker save`. */
interface SavedImage {
  config: { config: { Labels?: Record<string, string> | null } } & Record<string, unknown>;
  layers: string[];
}

/**
 * Creates `tags.length` distinct images in one `docker load`: copies of `source`'s image
 * configuration, each with its own `sandbox-image.recipe` label, so each has its own image ID
 * and shares every layer with `source`. The archive contains no layer data: the engine finds
 * each layer chain already present and reads only the configurations.
 */
export async function loadLabelledCopies(docker: Dockerode, source: string, tags: string[]): Promise<void> {
  const saved = await readSavedImage(docker, source);
  const archive = pack();
  const manifest: ManifestEntry[] = [];
  for (const tag of tags) {
    const labels = { ...(saved.config.config.Labels ?? {}), [LABELS.recipe]: randomBytes(16).toString('hex') };
    const body = Buffer.from(JSON.stringify({ ...saved.config, config: { ...saved.config.config, Labels: labels } }));
    const name = `${createHash('sha256').update(body).digest('hex')}.json`;
    archive.entry({ name }, body);
    manifest.push({ Config: name, RepoTags: [tag], Layers: saved.layers });
  }
  archive.entry({ name: 'manifest.json' }, JSON.stringify(manifest));
  archive.finalize();

  const stream = (await docker.loadImage(Readable.from(archive), { quiet: true })) as NodeJS.ReadableStream;
  let output = '';
  for await (const chunk of stream) output += chunk.toString();
  const failure = output.split('\n').find((line) => line.includes('"error'));
  if (failure) throw new Error(`docker load of ${tags.length} images failed: ${failure}`);
}

/** Reads the configuration and layer paths of one image from its `docker save` archive. */
async function readSavedImage(docker: Dockerode, name: string): Promise<SavedImage> {
  const files = new Map<string, Buffer>();
  const reader = extract();
  const stream = await docker.getImage(name).get();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, entry, next) => {
      const chunks: Buffer[] = [];
      const keep = header.name === 'manifest.json' || /^[0-9a-f]{64}\.json$/.test(header.name);
      entry.on('data', (chunk: unknown) => {
        if (keep) chunks.push(chunk as Buffer);
      });
      entry.on('end', () => {
        if (keep) files.set(header.name, Buffer.concat(chunks));
        next();
      });
      entry.resume();
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  stream.pipe(reader);
  await done;

  const manifest = JSON.parse(files.get('manifest.json')?.toString() ?? '[]') as ManifestEntry[];
  const entry = manifest[0];
  const config = entry && files.get(entry.Config);
  if (!entry || !config) throw new Error(`docker save of ${name} has no image configuration`);
  return { config: JSON.parse(config.toString()) as SavedImage['config'], layers: entry.Layers };
}
