import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_REPOSITORY, getNewImageName, isSandboxImageError, parseImageReference } from '../../../src/index.js';

const HEX = '0123456789abcdef'.repeat(4);
const ECR_REFERENCE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/some/long/path:very-long-tag-${'x'.repeat(71)}`;
const TAG_FORMAT = /^\w[\w.-]{0,127}$/;

/** Returns the tag of a derived name, checking that the name parses as Docker would. */
function tagOf(name: string): string {
  const parsed = parseImageReference(name);
  expect(parsed.digest).toBeUndefined();
  expect(parsed.tag).toBeDefined();
  return parsed.tag!;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('getNewImageName', () => {
  it.each([
    ['localhost:5000/team/img:dev', 'localhost-5000-team-img-dev-'],
    [`ubuntu@sha256:${HEX}`, 'ubuntu-'],
    [`ubuntu:22.04@sha256:${HEX}`, 'ubuntu-22.04-'],
    [ECR_REFERENCE, '123456789012.dkr.ecr.us-east-1.amazonaws.com-some-long-path-very-long-tag-x'],
    ['[::1]:5000/team/img:dev', '1-5000-team-img-dev-'],
    ['my_registry.local/app', 'my_registry.local-app-latest-'],
    [`registry.example.com/${'a'.repeat(240)}:${'t'.repeat(128)}`, 'registry.example.com-aaaa'],
  ])('gives a valid name for %s', (base, slugStart) => {
    const name = getNewImageName(base);
    const tag = tagOf(name);

    expect(name.startsWith(`${DEFAULT_IMAGE_REPOSITORY}:`)).toBe(true);
    expect(parseImageReference(name).domain).toBe('localhost');
    expect(parseImageReference(name).path).toBe('sandbox-image');
    expect(tag.length).toBeLessThanOrEqual(128);
    expect(tag).toMatch(TAG_FORMAT);
    expect(tag).toMatch(/-[0-9a-f]{20}$/);
    expect(tag.startsWith(slugStart)).toBe(true);
  });

  it('accepts the 145-character ECR reference', () => {
    expect(ECR_REFERENCE).toHaveLength(145);
    expect(tagOf(getNewImageName(ECR_REFERENCE)).length).toBeLessThanOrEqual(128);
    expect(tagOf(getNewImageName(ECR_REFERENCE)).length).toBe(128);
  });

  it('never embeds a digest in the tag', () => {
    for (const base of [`ubuntu@sha256:${HEX}`, `ubuntu:22.04@sha256:${HEX}`, `example.com/app@sha512:${HEX}${HEX}`]) {
      const tag = tagOf(getNewImageName(base));
      expect(tag).not.toContain('sha256');
      expect(tag).not.toContain('sha512');
      for (let start = 0; start + 12 <= HEX.length; start += 1) {
        expect(tag).not.toContain(HEX.slice(start, start + 12));
      }
    }
  });

  it('separates foo__bar:baz from foo:bar__baz', () => {
    expect(getNewImageName('foo__bar:baz')).not.toBe(getNewImageName('foo:bar__baz'));
  });

  it('gives equivalent references one name', () => {
    const expected = getNewImageName('ubuntu');
    for (const equivalent of [
      'ubuntu:latest',
      'docker.io/library/ubuntu:latest',
      'docker.io/library/ubuntu',
      'docker.io/ubuntu:latest',
      'index.docker.io/library/ubuntu',
      'index.docker.io/ubuntu:latest',
      'library/ubuntu',
    ]) {
      expect(getNewImageName(equivalent), equivalent).toBe(expected);
    }
  });

  it('separates different bases', () => {
    const names = [
      'ubuntu',
      'ubuntu:22.04',
      'ubuntu:24.04',
      `ubuntu@sha256:${HEX}`,
      `ubuntu:22.04@sha256:${HEX}`,
      'localhost/ubuntu',
      'localhost:5000/ubuntu',
      'example.com/library/ubuntu',
      'library/ubuntu/sub',
      'Ubuntu.example.com/ubuntu',
    ].map((base) => getNewImageName(base));
    expect(new Set(names).size).toBe(names.length);
  });

  it('changes with the fingerprint', () => {
    const plain = getNewImageName('ubuntu:22.04');
    const withA = getNewImageName('ubuntu:22.04', { fingerprint: 'recipe-a' });
    const withB = getNewImageName('ubuntu:22.04', { fingerprint: 'recipe-b' });
    expect(withA).not.toBe(plain);
    expect(withB).not.toBe(plain);
    expect(withA).not.toBe(withB);
    expect(getNewImageName('ubuntu:22.04', { fingerprint: '' })).toBe(plain);
  });

  it('keeps the published naming scheme', () => {
    // The name is the cache identity of built images: a change here must come with a new name format version.
    expect(getNewImageName('ubuntu:22.04')).toBe('localhost/sandbox-image:ubuntu-22.04-14b187e7feb8158d88df');
    expect(getNewImageName('ubuntu:22.04', { fingerprint: 'recipe-a' })).toBe('localhost/sandbox-image:ubuntu-22.04-2ea342878f7258bd2b63');
  });

  it('is the same for a string and its parsed form', () => {
    const base = 'localhost:5000/team/img:dev';
    expect(getNewImageName(parseImageReference(base), { fingerprint: 'f' })).toBe(getNewImageName(base, { fingerprint: 'f' }));
  });

  it('uses a custom registry repository', () => {
    const name = getNewImageName('ubuntu:22.04', { repository: 'registry.example.com:5000/team/sandbox' });
    const parsed = parseImageReference(name);
    expect(name.startsWith('registry.example.com:5000/team/sandbox:ubuntu-22.04-')).toBe(true);
    expect(parsed.domain).toBe('registry.example.com:5000');
    expect(parsed.path).toBe('team/sandbox');
    expect(parsed.tag).toMatch(TAG_FORMAT);
  });

  it('uses Docker Hub and IPv6 repositories', () => {
    expect(getNewImageName('ubuntu', { repository: 'myorg/sandbox' }).startsWith('myorg/sandbox:ubuntu-')).toBe(true);
    expect(getNewImageName('ubuntu', { repository: 'docker.io/myorg/sandbox' })).toBe(getNewImageName('ubuntu', { repository: 'myorg/sandbox' }));
    expect(parseImageReference(getNewImageName('ubuntu', { repository: '[::1]:5000/sandbox' })).domain).toBe('[::1]:5000');
  });

  it.each([
    ['localhost/sandbox-image:v1', 'contains a tag or digest'],
    [`localhost/sandbox-image@sha256:${HEX}`, 'contains a tag or digest'],
    ['localhost:5000', 'write "localhost:5000/sandbox-image"'],
  ])('rejects repository %s', (repository, part) => {
    const error = thrown(() => getNewImageName('ubuntu', { repository }));
    expect(isSandboxImageError(error, 'INVALID_REFERENCE')).toBe(true);
    expect((error as Error).message).toContain(`Invalid image repository ${JSON.stringify(repository)}`);
    expect((error as Error).message).toContain(part);
    expect((error as { details: { key?: string } }).details.key).toBe('imageRepository');
  });

  it('rejects an invalid repository', () => {
    const error = thrown(() => getNewImageName('ubuntu', { repository: 'Sandbox Images' }));
    expect(isSandboxImageError(error, 'INVALID_REFERENCE')).toBe(true);
    expect((error as Error).message).toContain('"Sandbox Images"');
  });

  it('rejects an invalid base', () => {
    const error = thrown(() => getNewImageName('image_personnalisée'));
    expect(isSandboxImageError(error, 'INVALID_REFERENCE')).toBe(true);
    expect((error as Error).message).toContain('"é"');
  });
});
