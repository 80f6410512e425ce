import { beforeAll, describe, expect, it } from 'vitest';
import { isSandboxImageError, parseImageReference, type ImageReference } from '../../../src/index.js';

const SHA256 = `sha256:${'f'.repeat(64)}`;
const SHA384 = `sha384:${'a'.repeat(96)}`;
const SHA512 = `sha512:${'f'.repeat(128)}`;
const BUSYBOX_DIGEST = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
const IMAGE_ID = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
const LONG_PATH = `${'a/'.repeat(127)}a`;

interface Valid {
  input: string;
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
  normalized: string;
  familiar: string;
}

/**
 * Cases from distribution/reference (reference_test.go, normalize_test.go, regexp_test.go)
 * as `ParseNormalizedNamed` resolves them, plus cases for this library's own inputs.
 */
const VALID: Valid[] = [
  // Docker Hub names and their normalisation.
  { input: 'ubuntu', domain: 'docker.io', path: 'library/ubuntu', normalized: 'docker.io/library/ubuntu', familiar: 'ubuntu' },
  { input: 'ubuntu:22.04', domain: 'docker.io', path: 'library/ubuntu', tag: '22.04', normalized: 'docker.io/library/ubuntu:22.04', familiar: 'ubuntu:22.04' },
  { input: 'ubuntu:latest', domain: 'docker.io', path: 'library/ubuntu', tag: 'latest', normalized: 'docker.io/library/ubuntu:latest', familiar: 'ubuntu:latest' },
  { input: 'docker.io/library/ubuntu:latest', domain: 'docker.io', path: 'library/ubuntu', tag: 'latest', normalized: 'docker.io/library/ubuntu:latest', familiar: 'ubuntu:latest' },
  { input: 'docker.io/ubuntu', domain: 'docker.io', path: 'library/ubuntu', normalized: 'docker.io/library/ubuntu', familiar: 'ubuntu' },
  { input: 'index.docker.io/library/ubuntu', domain: 'docker.io', path: 'library/ubuntu', normalized: 'docker.io/library/ubuntu', familiar: 'ubuntu' },
  { input: 'index.docker.io/ubuntu', domain: 'docker.io', path: 'library/ubuntu', normalized: 'docker.io/library/ubuntu', familiar: 'ubuntu' },
  { input: 'library/debian', domain: 'docker.io', path: 'library/debian', normalized: 'docker.io/library/debian', familiar: 'debian' },
  { input: 'docker/docker', domain: 'docker.io', path: 'docker/docker', normalized: 'docker.io/docker/docker', familiar: 'docker/docker' },
  { input: 'index.docker.io/docker/docker', domain: 'docker.io', path: 'docker/docker', normalized: 'docker.io/docker/docker', familiar: 'docker/docker' },
  { input: 'index.docker.io/fooo/bar', domain: 'docker.io', path: 'fooo/bar', normalized: 'docker.io/fooo/bar', familiar: 'fooo/bar' },
  { input: 'other/library', domain: 'docker.io', path: 'other/library', normalized: 'docker.io/other/library', familiar: 'other/library' },
  { input: 'library/foo/bar', domain: 'docker.io', path: 'library/foo/bar', normalized: 'docker.io/library/foo/bar', familiar: 'library/foo/bar' },
  { input: 'docker.io/library/foo/bar', domain: 'docker.io', path: 'library/foo/bar', normalized: 'docker.io/library/foo/bar', familiar: 'library/foo/bar' },
  { input: 'store/foo/bar', domain: 'docker.io', path: 'store/foo/bar', normalized: 'docker.io/store/foo/bar', familiar: 'store/foo/bar' },
  { input: 'index.docker.io/library/ubuntu-12.04-base', domain: 'docker.io', path: 'library/ubuntu-12.04-base', normalized: 'docker.io/library/ubuntu-12.04-base', familiar: 'ubuntu-12.04-base' },
  { input: 'docker/migrator', domain: 'docker.io', path: 'docker/migrator', normalized: 'docker.io/docker/migrator', familiar: 'docker/migrator' },

  // A name without `/` is always a Docker Hub name, even when it looks like a host.
  { input: 'test_com', domain: 'docker.io', path: 'library/test_com', normalized: 'docker.io/library/test_com', familiar: 'test_com' },
  { input: 'test.com:tag', domain: 'docker.io', path: 'library/test.com', tag: 'tag', normalized: 'docker.io/library/test.com:tag', familiar: 'test.com:tag' },
  { input: 'test.com:5000', domain: 'docker.io', path: 'library/test.com', tag: '5000', normalized: 'docker.io/library/test.com:5000', familiar: 'test.com:5000' },
  { input: 'foo_bar.com:8080', domain: 'docker.io', path: 'library/foo_bar.com', tag: '8080', normalized: 'docker.io/library/foo_bar.com:8080', familiar: 'foo_bar.com:8080' },
  { input: '192.168.1.1', domain: 'docker.io', path: 'library/192.168.1.1', normalized: 'docker.io/library/192.168.1.1', familiar: '192.168.1.1' },
  { input: '192.168.1.1:tag', domain: 'docker.io', path: 'library/192.168.1.1', tag: 'tag', normalized: 'docker.io/library/192.168.1.1:tag', familiar: '192.168.1.1:tag' },
  { input: '192.168.0.1:80', domain: 'docker.io', path: 'library/192.168.0.1', tag: '80', normalized: 'docker.io/library/192.168.0.1:80', familiar: '192.168.0.1:80' },
  { input: 'localhost', domain: 'docker.io', path: 'library/localhost', normalized: 'docker.io/library/localhost', familiar: 'localhost' },
  { input: 'localhost:5000', domain: 'docker.io', path: 'library/localhost', tag: '5000', normalized: 'docker.io/library/localhost:5000', familiar: 'localhost:5000' },
  { input: `localhost:8080@${SHA256}`, domain: 'docker.io', path: 'library/localhost', tag: '8080', digest: SHA256, normalized: `docker.io/library/localhost:8080@${SHA256}`, familiar: `localhost:8080@${SHA256}` },
  { input: `localhost@${SHA256}`, domain: 'docker.io', path: 'library/localhost', digest: SHA256, normalized: `docker.io/library/localhost@${SHA256}`, familiar: `localhost@${SHA256}` },
  { input: 'foo/foo_bar.com:8080', domain: 'docker.io', path: 'foo/foo_bar.com', tag: '8080', normalized: 'docker.io/foo/foo_bar.com:8080', familiar: 'foo/foo_bar.com:8080' },
  { input: 'test_com/foo', domain: 'docker.io', path: 'test_com/foo', normalized: 'docker.io/test_com/foo', familiar: 'test_com/foo' },

  // Registries: host names, ports, IPv4, localhost.
  { input: 'test.com/repo:tag', domain: 'test.com', path: 'repo', tag: 'tag', normalized: 'test.com/repo:tag', familiar: 'test.com/repo:tag' },
  { input: 'test:5000/repo', domain: 'test:5000', path: 'repo', normalized: 'test:5000/repo', familiar: 'test:5000/repo' },
  { input: 'test:5000/repo:tag', domain: 'test:5000', path: 'repo', tag: 'tag', normalized: 'test:5000/repo:tag', familiar: 'test:5000/repo:tag' },
  { input: `test:5000/repo@${SHA256}`, domain: 'test:5000', path: 'repo', digest: SHA256, normalized: `test:5000/repo@${SHA256}`, familiar: `test:5000/repo@${SHA256}` },
  { input: `test:5000/repo:tag@${SHA256}`, domain: 'test:5000', path: 'repo', tag: 'tag', digest: SHA256, normalized: `test:5000/repo:tag@${SHA256}`, familiar: `test:5000/repo:tag@${SHA256}` },
  { input: 'test-com:8080/foo', domain: 'test-com:8080', path: 'foo', normalized: 'test-com:8080/foo', familiar: 'test-com:8080/foo' },
  { input: 'xn--n3h.com:18080/foo', domain: 'xn--n3h.com:18080', path: 'foo', normalized: 'xn--n3h.com:18080/foo', familiar: 'xn--n3h.com:18080/foo' },
  { input: 'sub-dom1.foo.com/bar/baz/quux', domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', normalized: 'sub-dom1.foo.com/bar/baz/quux', familiar: 'sub-dom1.foo.com/bar/baz/quux' },
  { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', domain: 'sub-dom1.foo.com', path: 'bar/baz/quux', tag: 'some-long-tag', normalized: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', familiar: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag' },
  { input: 'b.gcr.io/test.example.com/my-app:test.example.com', domain: 'b.gcr.io', path: 'test.example.com/my-app', tag: 'test.example.com', normalized: 'b.gcr.io/test.example.com/my-app:test.example.com', familiar: 'b.gcr.io/test.example.com/my-app:test.example.com' },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', domain: 'xn--n3h.com', path: 'myimage', tag: 'xn--n3h.com', normalized: 'xn--n3h.com/myimage:xn--n3h.com', familiar: 'xn--n3h.com/myimage:xn--n3h.com' },
  { input: `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, domain: 'xn--7o8h.com', path: 'myimage', tag: 'xn--7o8h.com', digest: SHA512, normalized: `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, familiar: `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}` },
  { input: '192.168.1.1/repo', domain: '192.168.1.1', path: 'repo', normalized: '192.168.1.1/repo', familiar: '192.168.1.1/repo' },
  { input: '192.168.1.1:5000/repo', domain: '192.168.1.1:5000', path: 'repo', normalized: '192.168.1.1:5000/repo', familiar: '192.168.1.1:5000/repo' },
  { input: '192.168.1.1:5000/repo:5050', domain: '192.168.1.1:5000', path: 'repo', tag: '5050', normalized: '192.168.1.1:5000/repo:5050', familiar: '192.168.1.1:5000/repo:5050' },
  { input: '192.168.0.1:8/debian', domain: '192.168.0.1:8', path: 'debian', normalized: '192.168.0.1:8/debian', familiar: '192.168.0.1:8/debian' },
  { input: '127.0.0.1:5000/library/debian', domain: '127.0.0.1:5000', path: 'library/debian', normalized: '127.0.0.1:5000/library/debian', familiar: '127.0.0.1:5000/library/debian' },
  { input: '127.0.0.1:8000/privatebase', domain: '127.0.0.1:8000', path: 'privatebase', normalized: '127.0.0.1:8000/privatebase', familiar: '127.0.0.1:8000/privatebase' },
  { input: 'example.com:8000/private/moonbase', domain: 'example.com:8000', path: 'private/moonbase', normalized: 'example.com:8000/private/moonbase', familiar: 'example.com:8000/private/moonbase' },
  { input: 'localhost/foo', domain: 'localhost', path: 'foo', normalized: 'localhost/foo', familiar: 'localhost/foo' },
  { input: 'localhost:8080/bar', domain: 'localhost:8080', path: 'bar', normalized: 'localhost:8080/bar', familiar: 'localhost:8080/bar' },
  { input: 'localhost:5000/team/img:dev', domain: 'localhost:5000', path: 'team/img', tag: 'dev', normalized: 'localhost:5000/team/img:dev', familiar: 'localhost:5000/team/img:dev' },
  { input: 'docker.io:443/ubuntu', domain: 'docker.io:443', path: 'ubuntu', normalized: 'docker.io:443/ubuntu', familiar: 'docker.io:443/ubuntu' },

  // Bracketed IPv6 hosts.
  { input: '[2001:db8::1]/repo', domain: '[2001:db8::1]', path: 'repo', normalized: '[2001:db8::1]/repo', familiar: '[2001:db8::1]/repo' },
  { input: '[2001:db8:1:2:3:4:5:6]/repo:tag', domain: '[2001:db8:1:2:3:4:5:6]', path: 'repo', tag: 'tag', normalized: '[2001:db8:1:2:3:4:5:6]/repo:tag', familiar: '[2001:db8:1:2:3:4:5:6]/repo:tag' },
  { input: '[2001:db8::1]:5000/repo', domain: '[2001:db8::1]:5000', path: 'repo', normalized: '[2001:db8::1]:5000/repo', familiar: '[2001:db8::1]:5000/repo' },
  { input: '[2001:db8::1]:5000/repo:tag', domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag', normalized: '[2001:db8::1]:5000/repo:tag', familiar: '[2001:db8::1]:5000/repo:tag' },
  { input: `[2001:db8::1]:5000/repo@${SHA256}`, domain: '[2001:db8::1]:5000', path: 'repo', digest: SHA256, normalized: `[2001:db8::1]:5000/repo@${SHA256}`, familiar: `[2001:db8::1]:5000/repo@${SHA256}` },
  { input: `[2001:db8::1]:5000/repo:tag@${SHA256}`, domain: '[2001:db8::1]:5000', path: 'repo', tag: 'tag', digest: SHA256, normalized: `[2001:db8::1]:5000/repo:tag@${SHA256}`, familiar: `[2001:db8::1]:5000/repo:tag@${SHA256}` },
  { input: '[2001:db8::]:5000/repo', domain: '[2001:db8::]:5000', path: 'repo', normalized: '[2001:db8::]:5000/repo', familiar: '[2001:db8::]:5000/repo' },
  { input: '[::1]:5000/repo', domain: '[::1]:5000', path: 'repo', normalized: '[::1]:5000/repo', familiar: '[::1]:5000/repo' },
  { input: '[::1]:5000/x', domain: '[::1]:5000', path: 'x', normalized: '[::1]:5000/x', familiar: '[::1]:5000/x' },
  { input: '[fc00::1]:5000/docker/docker', domain: '[fc00::1]:5000', path: 'docker/docker', normalized: '[fc00::1]:5000/docker/docker', familiar: '[fc00::1]:5000/docker/docker' },
  { input: '[fc00:1:2:3:4:5:6:7]:5000/library/debian', domain: '[fc00:1:2:3:4:5:6:7]:5000', path: 'library/debian', normalized: '[fc00:1:2:3:4:5:6:7]:5000/library/debian', familiar: '[fc00:1:2:3:4:5:6:7]:5000/library/debian' },

  // An uppercase first component is a registry, as in Docker.
  { input: 'Docker/docker', domain: 'Docker', path: 'docker', normalized: 'Docker/docker', familiar: 'Docker/docker' },
  { input: 'DOCKER/docker', domain: 'DOCKER', path: 'docker', normalized: 'DOCKER/docker', familiar: 'DOCKER/docker' },
  { input: 'Foo/bar', domain: 'Foo', path: 'bar', normalized: 'Foo/bar', familiar: 'Foo/bar' },
  { input: 'Asdf.com/foo/bar', domain: 'Asdf.com', path: 'foo/bar', normalized: 'Asdf.com/foo/bar', familiar: 'Asdf.com/foo/bar' },

  // Path components and separators.
  { input: 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', domain: 'docker.io', path: 'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', normalized: 'docker.io/library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev', familiar: 'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev' },
  { input: 'docker-rules/docker', domain: 'docker.io', path: 'docker-rules/docker', normalized: 'docker.io/docker-rules/docker', familiar: 'docker-rules/docker' },
  { input: 'docker---rules/docker', domain: 'docker.io', path: 'docker---rules/docker', normalized: 'docker.io/docker---rules/docker', familiar: 'docker---rules/docker' },
  { input: 'd/docker', domain: 'docker.io', path: 'd/docker', normalized: 'docker.io/d/docker', familiar: 'd/docker' },
  { input: 'jess/t', domain: 'docker.io', path: 'jess/t', normalized: 'docker.io/jess/t', familiar: 'jess/t' },
  { input: 'dock__er/docker', domain: 'docker.io', path: 'dock__er/docker', normalized: 'docker.io/dock__er/docker', familiar: 'dock__er/docker' },
  { input: 'foo__bar:baz', domain: 'docker.io', path: 'library/foo__bar', tag: 'baz', normalized: 'docker.io/library/foo__bar:baz', familiar: 'foo__bar:baz' },
  { input: 'foo:bar__baz', domain: 'docker.io', path: 'library/foo', tag: 'bar__baz', normalized: 'docker.io/library/foo:bar__baz', familiar: 'foo:bar__baz' },
  { input: 'team/a.b_c-d--e__f0', domain: 'docker.io', path: 'team/a.b_c-d--e__f0', normalized: 'docker.io/team/a.b_c-d--e__f0', familiar: 'team/a.b_c-d--e__f0' },
  { input: 'registry.io/foo/project--id.module--name.ver---sion--name', domain: 'registry.io', path: 'foo/project--id.module--name.ver---sion--name', normalized: 'registry.io/foo/project--id.module--name.ver---sion--name', familiar: 'registry.io/foo/project--id.module--name.ver---sion--name' },
  { input: 'example.com/some_separator__underscore/myimage', domain: 'example.com', path: 'some_separator__underscore/myimage', normalized: 'example.com/some_separator__underscore/myimage', familiar: 'example.com/some_separator__underscore/myimage' },
  { input: 'aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb', domain: 'docker.io', path: 'aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb', normalized: 'docker.io/aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb', familiar: 'aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb' },

  // Lengths: a path of exactly 255 characters and a tag of exactly 128.
  { input: `${LONG_PATH}:tag-puts-this-over-max`, domain: 'docker.io', path: LONG_PATH, tag: 'tag-puts-this-over-max', normalized: `docker.io/${LONG_PATH}:tag-puts-this-over-max`, familiar: `${LONG_PATH}:tag-puts-this-over-max` },
  { input: `example.com/${'b'.repeat(255)}`, domain: 'example.com', path: 'b'.repeat(255), normalized: `example.com/${'b'.repeat(255)}`, familiar: `example.com/${'b'.repeat(255)}` },
  { input: `ubuntu:${'t'.repeat(128)}`, domain: 'docker.io', path: 'library/ubuntu', tag: 't'.repeat(128), normalized: `docker.io/library/ubuntu:${'t'.repeat(128)}`, familiar: `ubuntu:${'t'.repeat(128)}` },

  // Tags.
  { input: 'lowercase:Uppercase', domain: 'docker.io', path: 'library/lowercase', tag: 'Uppercase', normalized: 'docker.io/library/lowercase:Uppercase', familiar: 'lowercase:Uppercase' },
  { input: 'ubuntu:_private', domain: 'docker.io', path: 'library/ubuntu', tag: '_private', normalized: 'docker.io/library/ubuntu:_private', familiar: 'ubuntu:_private' },
  { input: 'ubuntu:v1.0-rc..2--x', domain: 'docker.io', path: 'library/ubuntu', tag: 'v1.0-rc..2--x', normalized: 'docker.io/library/ubuntu:v1.0-rc..2--x', familiar: 'ubuntu:v1.0-rc..2--x' },

  // A digest-like string without `@` is a repository `sha256` with a hex tag, as in Docker.
  { input: `sha256:${'a'.repeat(64)}`, domain: 'docker.io', path: 'library/sha256', tag: 'a'.repeat(64), normalized: `docker.io/library/sha256:${'a'.repeat(64)}`, familiar: `sha256:${'a'.repeat(64)}` },

  // Digests, alone and with a tag.
  { input: `ubuntu@${SHA256}`, domain: 'docker.io', path: 'library/ubuntu', digest: SHA256, normalized: `docker.io/library/ubuntu@${SHA256}`, familiar: `ubuntu@${SHA256}` },
  { input: `ubuntu:22.04@${SHA256}`, domain: 'docker.io', path: 'library/ubuntu', tag: '22.04', digest: SHA256, normalized: `docker.io/library/ubuntu:22.04@${SHA256}`, familiar: `ubuntu:22.04@${SHA256}` },
  { input: `busybox:latest@${BUSYBOX_DIGEST}`, domain: 'docker.io', path: 'library/busybox', tag: 'latest', digest: BUSYBOX_DIGEST, normalized: `docker.io/library/busybox:latest@${BUSYBOX_DIGEST}`, familiar: `busybox:latest@${BUSYBOX_DIGEST}` },
  { input: `ubuntu@${SHA384}`, domain: 'docker.io', path: 'library/ubuntu', digest: SHA384, normalized: `docker.io/library/ubuntu@${SHA384}`, familiar: `ubuntu@${SHA384}` },
  { input: `registry.com:8080/myapp:tag2@${SHA512}`, domain: 'registry.com:8080', path: 'myapp', tag: 'tag2', digest: SHA512, normalized: `registry.com:8080/myapp:tag2@${SHA512}`, familiar: `registry.com:8080/myapp:tag2@${SHA512}` },

  // A first component with `.` that is no valid host name but a valid path component is, in
  // Docker's Parse, part of the path, and the reference has no registry.
  { input: 'my_registry.local/app', domain: '', path: 'my_registry.local/app', normalized: 'my_registry.local/app', familiar: 'my_registry.local/app' },
  { input: `a.b_c/x/y:tag@${SHA256}`, domain: '', path: 'a.b_c/x/y', tag: 'tag', digest: SHA256, normalized: `a.b_c/x/y:tag@${SHA256}`, familiar: `a.b_c/x/y:tag@${SHA256}` },

  // A 64-hex name is valid with a registry, and its familiar form keeps the registry so it
  // is not read back as an image ID.
  { input: `docker.io/${IMAGE_ID}`, domain: 'docker.io', path: `library/${IMAGE_ID}`, normalized: `docker.io/library/${IMAGE_ID}`, familiar: `docker.io/library/${IMAGE_ID}` },
  { input: `${IMAGE_ID}:tag`, domain: 'docker.io', path: `library/${IMAGE_ID}`, tag: 'tag', normalized: `docker.io/library/${IMAGE_ID}:tag`, familiar: `${IMAGE_ID}:tag` },
  { input: `${IMAGE_ID.slice(1)}`, domain: 'docker.io', path: `library/${IMAGE_ID.slice(1)}`, normalized: `docker.io/library/${IMAGE_ID.slice(1)}`, familiar: IMAGE_ID.slice(1) },

  // A Docker Hub path whose first component looks like a registry keeps `docker.io/` in the
  // familiar form, where Docker would print `foo.bar/baz`, a different repository.
  { input: 'docker.io/foo.bar/baz', domain: 'docker.io', path: 'foo.bar/baz', normalized: 'docker.io/foo.bar/baz', familiar: 'docker.io/foo.bar/baz' },
  { input: 'docker.io/localhost/app:1', domain: 'docker.io', path: 'localhost/app', tag: '1', normalized: 'docker.io/localhost/app:1', familiar: 'docker.io/localhost/app:1' },
];

interface Invalid {
  input: string;
  /** Text the message must contain to name the wrong part. */
  part: string;
}

const INVALID: Invalid[] = [
  // Empty parts.
  { input: '', part: 'the reference is empty' },
  { input: ':justtag', part: 'the repository name is empty' },
  { input: `@${SHA256}`, part: 'the repository name is empty' },
  { input: 'docker.io/', part: 'the repository name is empty' },
  { input: 'ubuntu:', part: 'the tag after `:` is empty' },
  { input: 'docker/', part: 'empty component' },
  { input: '/docker', part: 'empty component' },
  { input: 'docker///docker', part: 'empty component' },
  { input: 'docker.io/docker///docker', part: 'empty component' },
  { input: 'a/a/a/a/', part: 'empty component' },
  { input: 'localhost:/foo', part: 'registry port ""' },

  // Uppercase repository paths.
  { input: 'Ubuntu:22.04', part: 'repository name "Ubuntu" must be lowercase' },
  { input: 'Uppercase:tag', part: 'repository name "Uppercase" must be lowercase' },
  { input: 'docker/Docker', part: 'repository name "docker/Docker" must be lowercase' },
  { input: 'docker.io/docker/Docker', part: 'repository name "docker/Docker" must be lowercase' },
  { input: 'test:5000/Uppercase/lowercase:tag', part: 'repository name "Uppercase/lowercase" must be lowercase' },
  { input: 'Foo/FarB', part: 'repository name "FarB" must be lowercase' },
  { input: IMAGE_ID.toUpperCase(), part: 'must be lowercase' },
  { input: 'my_registry.local/App', part: 'repository name "App" must be lowercase' },

  // Leading, trailing and repeated separators.
  { input: '-docker', part: 'path component "-docker" starts with a separator' },
  { input: '-docker/docker', part: 'path component "-docker" starts with a separator' },
  { input: 'docker-/docker', part: 'path component "docker-" ends with a separator' },
  { input: '-docker-/docker', part: 'path component "-docker-" starts with a separator' },
  { input: '____/____', part: 'path component "____" starts with a separator' },
  { input: '_docker/_docker', part: 'path component "_docker" starts with a separator' },
  { input: 'docker_/docker_', part: 'path component "docker_" ends with a separator' },
  { input: 'foo/bar-', part: 'path component "bar-" ends with a separator' },
  { input: 'foo/-bar', part: 'path component "-bar" starts with a separator' },
  { input: 'example.com/__underscore/myimage', part: 'path component "__underscore" starts with a separator' },
  { input: 'example.com/.dots/myimage', part: 'path component ".dots" starts with a separator' },
  { input: 'example.com/..dots/myimage', part: 'path component "..dots" starts with a separator' },
  { input: 'foo___bar', part: 'path component "foo___bar" contains the separator "___"' },
  { input: 'foo..bar', part: 'path component "foo..bar" contains the separator ".."' },
  { input: 'team/dock..er', part: 'path component "dock..er" contains the separator ".."' },
  { input: 'team/dock_.er', part: 'path component "dock_.er" contains the separator "_."' },
  { input: 'team/dock-.er', part: 'path component "dock-.er" contains the separator "-."' },
  { input: 'team/dock_-er', part: 'path component "dock_-er" contains the separator "_-"' },
  { input: 'example.com/nodouble..dots/myimage', part: 'contains the separator ".."' },
  { input: 'aa/asdf$$^/aa', part: 'path component "asdf$$^" contains "$"' },
  { input: 'a^a', part: 'path component "a^a" contains "^"' },

  // Registries.
  { input: '-docker.io/docker/docker', part: 'registry host "-docker.io"' },
  { input: 'dock..er/docker', part: 'registry host "dock..er"' },
  { input: 'dock_.er/docker', part: 'registry host "dock_.er"' },
  { input: 'docker./docker', part: 'registry host "docker."' },
  { input: 'bad_hostname.com:8080/myapp:tag', part: 'registry host "bad_hostname.com"' },
  { input: 'do__cker:8080/docker', part: 'registry host "do__cker"' },
  { input: `localhost:http/name@${SHA256}`, part: 'registry port "http"' },
  { input: 'foo.com:http/bar', part: 'registry port "http"' },
  { input: 'fc00::1:5000/debian', part: 'registry port ":1:5000"' },
  { input: '[fe80::1%eth0]:5000/repo', part: 'registry host "[fe80::1%eth0]"' },
  { input: '[fe80::1%eth0]/repo', part: 'registry host "[fe80::1%eth0]"' },
  { input: '[fe80::1%@invalidzone]:5000/repo', part: 'registry host "[fe80::1%@invalidzone]" is not a valid bracketed IPv6 address' },
  { input: '[2001:db8:3:4::192.0.2.33]:5000/debian', part: 'registry host "[2001:db8:3:4::192.0.2.33]"' },
  { input: '[fd00:1:2::3]75050/repo', part: 'registry host "[fd00:1:2::3]75050"' },
  { input: '[fd00:1:2::3]::75050/repo', part: 'registry port ":75050"' },
  { input: '[2001:db8::1]', part: 'a bracketed IPv6 registry must be followed by `/` and a repository path' },
  { input: '[2001:db8::1]:5000', part: 'a bracketed IPv6 registry must be followed by `/`' },
  { input: '[2001:db8::1]:tag', part: 'a bracketed IPv6 registry must be followed by `/`' },
  { input: '[fc00::1]', part: 'a bracketed IPv6 registry must be followed by `/`' },
  { input: '[fe80::1%eth0]', part: 'registry host "[fe80::1%eth0]" is not a valid bracketed IPv6 address' },
  { input: '[::1/repo', part: 'registry host "[::1/repo" is not a valid bracketed IPv6 address' },

  // Lengths.
  { input: `${'a/'.repeat(128)}a:tag`, part: 'the repository path is 257 characters long, more than the maximum of 255' },
  { input: `example.com/${'b'.repeat(256)}`, part: 'the repository path is 256 characters long' },
  { input: `${'b'.repeat(248)}`, part: 'the repository path is 256 characters long' },
  {
    input: `this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_${'x'.repeat(200)}/docker`,
    part: 'the repository path is 275 characters long',
  },
  { input: `ubuntu:${'t'.repeat(129)}`, part: 'the tag is 129 characters long, more than the maximum of 128' },

  // Tags.
  { input: 'registry.com:8080/myapp:invalid~tag', part: 'tag "invalid~tag" is invalid' },
  { input: 'ubuntu:-tag', part: 'tag "-tag" is invalid' },
  { input: 'ubuntu:.tag', part: 'tag ".tag" is invalid' },
  { input: 'ubuntu:tag:more', part: 'tag "tag:more" is invalid' },

  // Digests.
  { input: `repo@sha256:${'f'.repeat(34)}`, part: 'has 34 hexadecimal digits where sha256 needs 64' },
  { input: `repo@sha512:${'f'.repeat(64)}`, part: 'has 64 hexadecimal digits where sha512 needs 128' },
  { input: `repo@sha384:${'f'.repeat(64)}`, part: 'has 64 hexadecimal digits where sha384 needs 96' },
  { input: `validname@invaliddigest:${'f'.repeat(64)}`, part: 'unsupported algorithm "invaliddigest"' },
  { input: `repo@constructor:${'f'.repeat(64)}`, part: 'unsupported algorithm "constructor"' },
  { input: `repo@SHA256:${'f'.repeat(64)}`, part: 'unsupported algorithm "SHA256"' },
  { input: `ubuntu@sha256:${'F'.repeat(64)}`, part: 'must use lowercase hexadecimal digits' },
  { input: 'registry.com:8080/myapp@sha256:badbadbadbad', part: 'digest "sha256:badbadbadbad" is not of the form' },
  { input: 'registry.com:8080/myapp@bad', part: 'digest "bad" is not of the form' },
  { input: 'registry.com:8080/myapp@2bad', part: 'digest "2bad" is not of the form' },
  { input: `ubuntu@sha256:${'g'.repeat(64)}`, part: 'is not of the form' },
  { input: 'ubuntu@', part: 'digest "" is not of the form' },
  { input: `ubuntu@${SHA256}@${SHA256}`, part: 'more than one `@`' },

  // Whole-input forms.
  { input: 'https://example.com/x', part: 'a URL scheme is not part of an image reference' },
  { input: 'https://github.com/docker/docker', part: 'a URL scheme is not part of an image reference' },
  { input: IMAGE_ID, part: 'is an image ID, not a repository name' },
  { input: 'image_personnalisée', part: 'character "é" (U+00E9) at position 18 (image_personnalis[é]e) is not allowed' },
  { input: 'ubuntu:22.04 ', part: 'character " " (U+0020) at position 13' },
  { input: 'ubuntu\n', part: 'character "\\n" (U+000A) at position 7' },
  { input: 'caf\u0065\u0301/app', part: 'character "\u0301" (U+0301) at position 5' },
  { input: 'registry.example.com/🐳', part: 'character "🐳" (U+1F433) at position 22' },
];

function parseError(input: string): unknown {
  try {
    parseImageReference(input);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseImageReference', () => {
  describe.each(VALID)('$input', (row) => {
    let parsed: ImageReference;
    beforeAll(() => {
      parsed = parseImageReference(row.input);
    });

    it('splits domain and path', () => {
      expect(parsed.domain).toBe(row.domain);
      expect(parsed.path).toBe(row.path);
      expect(parsed.name).toBe(row.domain === '' ? row.path : `${row.domain}/${row.path}`);
    });

    it('keeps tag and digest', () => {
      expect(parsed.tag).toBe(row.tag);
      expect(parsed.digest).toBe(row.digest);
    });

    it('gives normalized and familiar forms', () => {
      expect(parsed.normalized).toBe(row.normalized);
      expect(parsed.familiar).toBe(row.familiar);
      expect(parsed.input).toBe(row.input);
    });

    it('parses its own forms back', () => {
      expect(parseImageReference(parsed.normalized).normalized).toBe(row.normalized);
      expect(parseImageReference(parsed.familiar).normalized).toBe(row.normalized);
    });
  });

  describe.each(INVALID)('rejects $input', ({ input, part }) => {
    const error = parseError(input);

    it('with code INVALID_REFERENCE', () => {
      expect(isSandboxImageError(error, 'INVALID_REFERENCE')).toBe(true);
      expect((error as { code: string }).code).toBe('INVALID_REFERENCE');
      expect((error as { details: { value: unknown } }).details.value).toBe(input);
    });

    it('naming the input and the wrong part', () => {
      const message = (error as Error).message;
      expect(message).toContain(`Invalid image reference ${JSON.stringify(input)}`);
      expect(message).toContain(part);
    });
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(parseImageReference('ubuntu'))).toBe(true);
  });

  it('suggests the ASCII spelling of an accented name', () => {
    expect((parseError('image_personnalisée') as Error).message).toContain('such as "image_personnalisee"');
  });
});
